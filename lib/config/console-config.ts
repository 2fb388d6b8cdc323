import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { consoleConfigSchema, type ConsoleConfig } from './schema';

// Reads CONSOLE_CONFIG (YAML) into a ConsoleConfig. Without the variable the console runs on zero config:
// every kubeconfig context is a cluster, AWS settings at their defaults.

export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length === 1 ? problems[0] : `\n  ${problems.join('\n  ')}`}`);
    this.name = 'ConfigFileError';
  }
}

/** `clusters[1].eks.account` from zod's ['clusters', 1, 'eks', 'account']. */
export function configPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text ? `${text}.${String(segment)}` : String(segment);
  }, '');
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${configPath(issue.path) || '(top level)'}: ${issue.message}`);
}

/** Validates an already-parsed document; `file` names it in errors. */
export function parseConsoleConfig(document: unknown, file: string): ConsoleConfig {
  const result = consoleConfigSchema.safeParse(document ?? {});
  if (!result.success) throw new ConfigFileError(file, describeIssues(result.error));
  return { ...result.data, sourceFile: file };
}

/** Reads and validates one config file. */
export function readConsoleConfigFile(file: string): ConsoleConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(file, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigFileError(file, [`not valid YAML: ${(error as Error).message}`]);
  }
  if (document !== null && document !== undefined && (typeof document !== 'object' || Array.isArray(document)))
    throw new ConfigFileError(file, ['(top level): must be a YAML mapping']);
  return parseConsoleConfig(document, file);
}

let cached: { file: string | undefined; mtimeMs: number; config: ConsoleConfig } | undefined;

/**
 * The console config named by CONSOLE_CONFIG, or the zero config without it. Cached per process and read
 * again when the file changes. Throws ConfigFileError naming the file, the path inside it and the reason.
 */
export function loadConsoleConfig(env: Readonly<Record<string, string | undefined>> = process.env): ConsoleConfig {
  const file = env.CONSOLE_CONFIG ? path.resolve(env.CONSOLE_CONFIG) : undefined;
  let mtimeMs = 0;
  if (file) {
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch (error) {
      throw new ConfigFileError(file, [
        `CONSOLE_CONFIG names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      ]);
    }
  }
  if (cached && cached.file === file && cached.mtimeMs === mtimeMs) return cached.config;
  const config = file ? readConsoleConfigFile(file) : parseConsoleConfig({}, '(zero config)');
  if (!file) delete config.sourceFile;
  cached = { file, mtimeMs, config };
  return config;
}
