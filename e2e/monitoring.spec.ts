import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import YAML from 'yaml';
import { DEMO_API_TOKENS } from '../scripts/demo-identity';
import { readStackInfo } from './stack-info';

// Issue 12 "Operating it": /metrics on the demo carries api.md's series with values that match what the API
// shows, and every metric the shipped PrometheusRule names is one /metrics serves (a renamed metric would
// otherwise leave an alert that can never fire).

const ADMIN_TOKEN = DEMO_API_TOKENS.find((grant) => grant.role === 'admin')!.token;
const RULE_FILE = path.join(__dirname, '..', 'deploy', 'monitoring', 'prometheus-rule.yaml');

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format: families from `# TYPE`, samples from the other lines. */
function parseExposition(text: string): { families: Map<string, string>; samples: Sample[] } {
  const families = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) families.set(type[1], type[2]);
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return { families, samples };
}

/** The series names a family serves: a histogram's _bucket/_sum/_count, a summary's quantiles, _sum and _count. */
function servedNames(families: Map<string, string>): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of families) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression selects: identifiers that are neither functions, keywords nor labels. */
function metricNamesOf(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""') // strings
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\boffset\s+\d+[smhdwy]/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const after = stripped.slice(match.index! + word.length).trimStart();
    if (after.startsWith('(') || PROMQL_WORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names];
}

async function scrape(request: import('@playwright/test').APIRequestContext, consoleUrl: string) {
  const response = await request.get(`${consoleUrl}/metrics`);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/plain');
  return parseExposition(await response.text());
}

test('/metrics on the demo carries the series of api.md, with the findings the API reports', async ({ request }) => {
  test.setTimeout(180_000);
  const { consoleUrl } = readStackInfo();
  // The rows answer once the fleet is evaluated, and evaluating it sets the fleet gauges.
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const rowsResponse = await request.get(`${consoleUrl}/api/v1/serviceaccounts`, { headers, timeout: 150_000 });
  expect(rowsResponse.status()).toBe(200);
  const rows = (await rowsResponse.json()) as {
    items: { cluster: string; mechanism: string; findings: { code: string; severity: string }[] }[];
  };
  const exposition = await scrape(request, consoleUrl);
  const { families, samples } = exposition;
  for (const name of [
    'wic_findings',
    'wic_service_accounts',
    'wic_snapshot_age_seconds',
    'wic_etcd_snapshot_age_seconds',
    'wic_source_up',
    'wic_upstream_requests_total',
    'wic_upstream_request_duration_seconds',
    'wic_collect_duration_seconds',
    'wic_actions_total',
  ])
    expect(families.has(name), `${name} is served`).toBe(true);

  const series = (name: string) => samples.filter((sample) => sample.name === name);
  // The demo's Restate destination and K3s etcd snapshots, per partition and per storage location.
  expect(series('wic_snapshot_age_seconds').map((sample) => sample.labels.source)).toContain('s3://restate-snapshots/payments');
  expect(series('wic_etcd_snapshot_age_seconds').length).toBeGreaterThan(0);
  expect(series('wic_source_up').every((sample) => sample.labels.cluster !== undefined && sample.labels.source)).toBe(true);
  expect(series('wic_upstream_requests_total').map((sample) => `${sample.labels.service} ${sample.labels.outcome}`)).toEqual(
    expect.arrayContaining(['kubernetes ok', 'eks ok', 'iam ok']),
  );
  expect(series('wic_upstream_requests_total').map((sample) => sample.labels.operation)).toContain('list pods');
  expect(series('wic_collect_duration_seconds_count')[0].value).toBeGreaterThan(0);

  // Every service account of the API is counted once in wic_service_accounts, per cluster and mechanism.
  const byMechanism = new Map<string, number>();
  for (const row of rows.items)
    byMechanism.set(`${row.cluster} ${row.mechanism}`, (byMechanism.get(`${row.cluster} ${row.mechanism}`) ?? 0) + 1);
  const gauges = new Map(
    series('wic_service_accounts').map((sample) => [`${sample.labels.cluster} ${sample.labels.mechanism}`, sample.value]),
  );
  expect(gauges).toEqual(byMechanism);

  // Each error finding code the rows show has a wic_findings series of that code and severity.
  const errorCodes = new Set(rows.items.flatMap((row) => row.findings.filter((f) => f.severity === 'error').map((f) => f.code)));
  expect(errorCodes.size).toBeGreaterThan(0);
  const errorSeries = new Set(
    series('wic_findings')
      .filter((s) => s.labels.severity === 'error' && s.value > 0)
      .map((s) => s.labels.code),
  );
  for (const code of errorCodes) expect(errorSeries, `wic_findings{severity="error",code="${code}"}`).toContain(code);
});

test('every metric the PrometheusRule names is served by /metrics', async ({ request }) => {
  const { consoleUrl } = readStackInfo();
  const served = servedNames((await scrape(request, consoleUrl)).families);
  // The extractor itself: a misspelt metric must be reported, functions, keywords and labels must not.
  expect(metricNamesOf('sum by (a) (rate(wic_upstrem_total{outcome!="ok"}[5m])) > on (b) group_left max(x offset 5m)')).toEqual([
    'wic_upstrem_total',
    'x',
  ]);

  const rule = YAML.parse(fs.readFileSync(RULE_FILE, 'utf8')) as {
    kind: string;
    spec: { groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[] };
  };
  expect(rule.kind).toBe('PrometheusRule');
  const alerts = rule.spec.groups.flatMap((group) => group.rules);
  // The alerts issue 12 asks for: a stale Restate partition, new error findings, a source unreadable for 10 min, a stuck roll.
  const exprOf = (alert: string) => alerts.find((candidate) => candidate.alert === alert)?.expr ?? '';
  expect(exprOf('RestateSnapshotPartitionStale')).toContain('wic_snapshot_max_age_seconds');
  expect(exprOf('WorkloadIdentityErrorFindingsNew')).toContain('severity="error"');
  expect(alerts.find((candidate) => candidate.alert === 'WorkloadIdentitySourceUnreadable')).toMatchObject({ for: '10m' });
  expect(exprOf('WorkloadIdentityRollStuck')).toContain('status="stuck"');

  const unknown = alerts.flatMap((alert) =>
    metricNamesOf(alert.expr)
      .filter((name) => !served.has(name))
      .map((name) => `${alert.alert ?? alert.record}: ${name}`),
  );
  expect(unknown).toEqual([]);
});

test("every response carries a request id: the caller's when well-formed, else a new one", async ({ request }) => {
  const { consoleUrl } = readStackInfo();
  const kept = await request.get(`${consoleUrl}/api/health`, { headers: { 'x-request-id': 'trace-4bf92f3577b34da6' } });
  expect(kept.headers()['x-request-id']).toBe('trace-4bf92f3577b34da6');
  const replaced = await request.get(`${consoleUrl}/api/health`, { headers: { 'x-request-id': 'bad id\twith "quotes"' } });
  expect(replaced.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('readiness is separate from liveness and says which checks passed', async ({ request }) => {
  const { consoleUrl } = readStackInfo();
  let body = { status: '', checks: [] as { check: string; ok: boolean; message: string }[] };
  // A cluster probe can time out on a loaded machine (the EKS contexts run `aws eks get-token`): poll.
  await expect
    .poll(
      async () => {
        const ready = await request.get(`${consoleUrl}/api/health/ready`);
        body = (await ready.json()) as typeof body;
        return ready.status();
      },
      { timeout: 60_000 },
    )
    .toBe(200);
  expect(body.status).toBe('ready');
  expect(body.checks.map((check) => check.check)).toEqual(['config', 'store', 'clusters']);
  expect(body.checks.find((check) => check.check === 'clusters')?.message).toMatch(/^[123] of 3 clusters answer/);
});
