import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// Running the AWS CLI (v1, botocore) against the simulator in integration tests: a second, independent
// SigV4 and protocol implementation.

const run = promisify(execFile);

/** The `aws` CLI on PATH, or null (the tests that need it are skipped). */
export async function findAwsCli(): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', 'command -v aws']);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

export interface AwsCliResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs `aws --endpoint-url URL --output json ARGS…` with only the given credentials (no profile files). */
export async function runAwsCli(
  awsPath: string,
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; region?: string },
  args: string[],
  /** More environment, e.g. AWS_RETRY_MODE and AWS_MAX_ATTEMPTS. */
  extraEnv: Record<string, string> = {},
): Promise<AwsCliResult> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_DEFAULT_REGION: credentials.region ?? 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...extraEnv,
  };
  try {
    const { stdout, stderr } = await run(awsPath, ['--endpoint-url', endpoint, '--output', 'json', ...args], {
      env: env as NodeJS.ProcessEnv,
      timeout: 60_000,
    });
    return { ok: true, stdout, stderr };
  } catch (err) {
    const failed = err as { stdout?: string; stderr?: string };
    return { ok: false, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(err) };
  }
}
