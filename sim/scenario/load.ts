import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { scenarioSchema, type Scenario } from './schema';

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`${file}: invalid scenario\n${issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/** clusters[1].objects[3].metadata.name */
export function formatIssuePath(issuePath: readonly PropertyKey[]): string {
  return issuePath.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
  /** objectFiles resolved and parsed, per cluster index, in file order. */
  objectFileDocuments: Map<number, { file: string; objects: Record<string, unknown>[] }[]>;
}

export function parseScenario(text: string, file: string): Scenario {
  let raw: unknown;
  try {
    // Scenarios may share a trust policy through anchors; allow many, but not unbounded expansion.
    raw = YAML.parse(text, { prettyErrors: true, maxAliasCount: 10_000 });
  } catch (err) {
    throw new ScenarioError(file, [{ path: '', message: `not valid YAML: ${(err as Error).message}` }]);
  }
  const parsed = scenarioSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new ScenarioError(
      file,
      parsed.error.issues.map((issue) => {
        const base = formatIssuePath(issue.path);
        return { path: base, message: describeIssue(issue) };
      }),
    );
  }
  return parsed.data;
}

export function loadScenarioFile(file: string): LoadedScenario {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (err) {
    throw new ScenarioError(file, [
      { path: '', message: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` },
    ]);
  }
  const scenario = parseScenario(text, file);
  const objectFileDocuments = new Map<number, { file: string; objects: Record<string, unknown>[] }[]>();
  scenario.clusters.forEach((cluster, clusterIndex) => {
    const docs: { file: string; objects: Record<string, unknown>[] }[] = [];
    cluster.objectFiles.forEach((relative, fileIndex) => {
      const where = `clusters[${clusterIndex}].objectFiles[${fileIndex}]`;
      const target = path.resolve(path.dirname(absolute), relative);
      let body: string;
      try {
        body = fs.readFileSync(target, 'utf8');
      } catch (err) {
        throw new ScenarioError(file, [
          { path: where, message: `cannot read ${relative}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` },
        ]);
      }
      const objects: Record<string, unknown>[] = [];
      for (const [docIndex, doc] of YAML.parseAllDocuments(body).entries()) {
        if (doc.errors.length > 0)
          throw new ScenarioError(file, [{ path: `${where} (${relative}, document ${docIndex})`, message: doc.errors[0].message }]);
        const value = doc.toJS() as unknown;
        if (value === null || value === undefined) continue;
        const obj = value as Record<string, unknown>;
        const meta = obj.metadata as Record<string, unknown> | undefined;
        if (typeof obj !== 'object' || !obj.apiVersion || !obj.kind || !meta?.name) {
          throw new ScenarioError(file, [
            {
              path: `${where} (${relative}, document ${docIndex})`,
              message: 'expected a Kubernetes object with apiVersion, kind and metadata.name',
            },
          ]);
        }
        if (obj.kind === 'List' && Array.isArray(obj.items)) objects.push(...(obj.items as Record<string, unknown>[]));
        else objects.push(obj);
      }
      docs.push({ file: relative, objects });
    });
    objectFileDocuments.set(clusterIndex, docs);
  });
  return { file, scenario, objectFileDocuments };
}
