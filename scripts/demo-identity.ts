import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RunningSim } from '../sim/index';
import YAML from 'yaml';
import { repoRoot } from './console-process';

// The demo's sign-in: a real local OIDC provider (scripts/oidc-dev-provider.ts) with users from three teams
// and roles, and the console config that maps their IdP groups to teams. Shared by the demo and the e2e tests.

export interface DemoUser {
  username: string;
  password: string;
  name: string;
  email: string;
  groups: string[];
  team: string;
  role: 'viewer' | 'operator' | 'admin';
}

export const DEMO_USERS: DemoUser[] = [
  {
    username: 'ann',
    password: 'ann-demo',
    name: 'Ann (payments, operator)',
    email: 'ann@example.com',
    groups: ['idp-payments-oncall'],
    team: 'payments',
    role: 'operator',
  },
  {
    username: 'dan',
    password: 'dan-demo',
    name: 'Dan (data, viewer)',
    email: 'dan@example.com',
    groups: ['idp-data'],
    team: 'data',
    role: 'viewer',
  },
  {
    username: 'ada',
    password: 'ada-demo',
    name: 'Ada (platform, admin)',
    email: 'ada@example.com',
    groups: ['idp-platform-admins'],
    team: 'platform',
    role: 'admin',
  },
];

export const DEMO_CLIENT = { clientId: 'workload-identity-console', clientSecret: 'demo-client-secret-not-for-production' };

/** API tokens for automation against the demo (the config holds only their SHA-256). */
export const DEMO_API_TOKENS = [
  { token: 'demo-platform-automation-token', subject: 'platform-automation', role: 'admin' as const },
  { token: 'demo-payments-ci-token', subject: 'payments-ci', team: 'payments', role: 'viewer' as const },
];

/**
 * The console's `clusters:` for a simulated fleet, as a platform team would write it: every cluster by its
 * kubeconfig context, and for EKS clusters in another account than the console's own, the read role the
 * console assumes there (each demo account has `WorkloadIdentityConsoleReader` trusting the console's account).
 */
export function simulatedFleetClusters(sim: RunningSim, consoleAccount: string): Record<string, unknown>[] {
  return sim.loaded.scenario.clusters.map((cluster) => {
    const eks = sim.world.eksClusters.get(cluster.name);
    return {
      name: cluster.name,
      context: eks?.arn ?? cluster.name,
      ...(eks && eks.account !== consoleAccount ? { assumeRoleArn: `arn:aws:iam::${eks.account}:role/WorkloadIdentityConsoleReader` } : {}),
    };
  });
}

export function demoConsoleConfig(options: { issuer: string; consoleUrl: string; extra?: Record<string, unknown> }): string {
  return YAML.stringify({
    ...options.extra,
    auth: {
      mode: 'oidc',
      oidc: { issuer: options.issuer, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret, baseUrl: options.consoleUrl },
      session: { secret: 'demo-session-secret-0123456789abcdef-not-for-production', maxAgeSeconds: 8 * 3600 },
      apiTokens: DEMO_API_TOKENS.map(({ token, ...grant }) => ({ sha256: createHash('sha256').update(token).digest('hex'), ...grant })),
      demoUsers: DEMO_USERS.map((u) => ({ username: u.username, name: u.name, team: u.team, role: u.role, passwordHint: u.password })),
    },
    teams: [
      {
        name: 'payments',
        groups: ['idp-payments-oncall'],
        // Role scope: the payments team binds only its own roles (account 111122223333, tagged team=payments).
        clusters: [
          {
            cluster: '*',
            namespaces: ['payments', 'payments-*'],
            role: 'operator',
            roles: ['arn:aws:iam::111122223333:role/payments-*'],
            roleTags: { team: 'payments' },
          },
        ],
      },
      {
        name: 'data',
        groups: ['idp-data'],
        clusters: [
          {
            cluster: '*',
            namespaces: ['data', 'data-*'],
            role: 'viewer',
            roles: ['arn:aws:iam::444455556666:role/data-*'],
            roleTags: { team: 'data' },
          },
        ],
      },
    ],
    admins: { groups: ['idp-platform-admins'] },
  });
}

export interface OidcProcess {
  issuer: string;
  stop(): Promise<void>;
}

/** Runs the local OIDC provider as a child process (it is ESM-only) and waits for its ready line. */
export async function startOidcProvider(options: {
  port: number;
  consoleUrl: string;
  dataDir: string;
  log?: (line: string) => void;
}): Promise<OidcProcess> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const usersFile = path.join(options.dataDir, 'oidc-users.json');
  fs.writeFileSync(
    usersFile,
    JSON.stringify(DEMO_USERS.map(({ username, password, name, email, groups }) => ({ username, password, name, email, groups }))),
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [
      require.resolve('tsx/cli'),
      path.join(repoRoot, 'scripts', 'oidc-dev-provider.ts'),
      '--port',
      String(options.port),
      '--users',
      usersFile,
      '--client-id',
      DEMO_CLIENT.clientId,
      '--client-secret',
      DEMO_CLIENT.clientSecret,
      '--redirect-uri',
      `${options.consoleUrl}/auth/callback`,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the local OIDC provider did not start within 30 s')), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      options.log?.(`[oidc] ${text.trimEnd()}`);
      const match = /oidc-dev-provider ready issuer=(\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => options.log?.(`[oidc] ${chunk.toString().trimEnd()}`));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the local OIDC provider exited (code ${code})`));
    });
  });
  // The console reaches the provider with fetch, which refuses the Fetch standard's "bad ports" (4190, sieve,
  // is one: E2E_PORT=4100 puts the provider there). Say so now rather than as a sign-in error in every test.
  try {
    await fetch(`${issuer}/.well-known/openid-configuration`);
  } catch (error) {
    child.kill('SIGTERM');
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    const why = cause === 'bad port' ? `fetch refuses port ${options.port}, a "bad port" of the Fetch standard` : cause;
    throw new Error(
      `the console could not fetch the local OIDC provider at ${issuer} (${why}); choose another base port (E2E_PORT, --port).`,
    );
  }
  return {
    issuer,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
