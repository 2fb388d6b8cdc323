import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { collectFleet } from '@/lib/collect/collect-fleet';
import { CollectCache } from '@/lib/collect/cache';
import { resolveClusterTargets } from '@/lib/config/cluster-targets';
import { parseConsoleConfig } from '@/lib/config/console-config';
import { pointConsoleAt } from '@/tests/support/console-environment';
import { evaluateFleet } from '@/lib/identity/evaluate-identity';
import type { Finding } from '@/lib/model/finding';
import { simulatedFleetClusters } from '@/scripts/demo-identity';
import { consoleEnvironment, startSim, type RunningSim } from '../index';

// The demo's bulk (demo-fleet/*.yaml and the generated roles and associations, scripts/generate-demo-fleet.ts)
// is meant to be healthy: collected and evaluated by the product's own pipeline, the only findings are the
// stories that sim/scenarios/README.md lists.

const FLEET_DIR = path.join(__dirname, 'demo-fleet');
let restoreEnvironment: (() => void) | undefined;
let sim: RunningSim;
let findings: Finding[];
let serviceAccountCount = 0;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-demo-fleet-'));
  sim = await startSim({ scenarioFile: path.join(__dirname, 'demo.yaml'), kubeconfigPath: path.join(dir, 'kubeconfig') });
  const consoleAccount = [...sim.world.accounts.keys()][0];
  restoreEnvironment = pointConsoleAt(consoleEnvironment(sim, consoleAccount));
  const targets = resolveClusterTargets(parseConsoleConfig({ clusters: simulatedFleetClusters(sim, consoleAccount) }, '(demo)'));
  const fleet = await collectFleet(targets, { cache: new CollectCache({ ttlMs: 30_000, errorTtlMs: 0, concurrency: 16 }) });
  expect(fleet.sourceErrors).toEqual([]);
  serviceAccountCount = fleet.clusters.reduce((n, cluster) => n + (cluster.kube.serviceAccounts?.length ?? 0), 0);
  findings = evaluateFleet(fleet);
}, 60_000);

afterAll(async () => {
  await sim?.stop();
  restoreEnvironment?.();
});

function generatedServiceAccounts(): Set<string> {
  const keys = new Set<string>();
  for (const file of fs.readdirSync(FLEET_DIR).filter((f) => f.endsWith('.yaml'))) {
    const cluster = file.replace(/\.yaml$/, '');
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(FLEET_DIR, file), 'utf8'))) {
      const object = doc.toJS() as { kind: string; metadata: { name: string; namespace: string } };
      if (object.kind === 'ServiceAccount') keys.add(`${cluster}/${object.metadata.namespace}/${object.metadata.name}`);
    }
  }
  return keys;
}

function subjectOf(finding: Finding): string {
  const subject = finding.subject;
  if (subject.kind === 'serviceaccount') return `${subject.cluster}/${subject.namespace}/${subject.name}`;
  if (subject.kind === 'association') return `${subject.cluster}/${subject.namespace}/${subject.serviceAccount}`;
  if (subject.kind === 'cluster') return `${subject.cluster} (cluster)`;
  if (subject.kind === 'role') return subject.arn;
  return subject.source;
}

describe('the demo fleet', () => {
  it('holds several hundred service accounts, and the generated ones carry no finding', () => {
    const generated = generatedServiceAccounts();
    expect(generated.size).toBeGreaterThan(150);
    expect(serviceAccountCount).toBeGreaterThanOrEqual(250);
    const onGenerated = findings.filter((f) => generated.has(subjectOf(f)));
    expect(onGenerated.map((f) => `${f.code} ${subjectOf(f)}: ${f.title}`)).toEqual([]);
  });

  it('has findings only on the stories of sim/scenarios/README.md', () => {
    const codesBySubject = new Map<string, Set<string>>();
    for (const finding of findings) {
      const key = subjectOf(finding);
      codesBySubject.set(key, new Set([...(codesBySubject.get(key) ?? []), finding.code]));
    }
    const story = (subject: string, ...codes: string[]) => [subject, codes.sort()] as const;
    const actual = Object.fromEntries([...codesBySubject].map(([subject, codes]) => [subject, [...codes].sort()]));
    // PI008 is cluster-scoped; SN findings are about snapshot sources, named by their location.
    const expected = Object.fromEntries([
      story('prod-use1/payments/notifications', 'PI005'),
      story('prod-use1/payments/ledger-exporter', 'PI003'),
      story('prod-use1/argo/argo-workflow', 'PI009'),
      story('prod-use1/platform/legacy-backup', 'ID002'),
      story('prod-use1/restate-payments/restate', 'PI002'),
      story('data-euw1/data/warehouse-loader', 'ST002'),
      story('data-euw1/data/catalog', 'ID001'),
      story('prod-use1/restate-orders/restate', 'PM001'),
      story('prod-use1/restate-ledger/restate', 'PM001'),
      story('prod-use1/analytics/report-builder', 'PM002'),
      story('prod-use1/platform/ops-toolbox', 'PM003'),
      story('prod-use1/payments/bank-feed', 'PI013'),
    ]);
    for (const [subject, codes] of Object.entries(expected)) expect(actual[subject], subject).toEqual(expect.arrayContaining(codes));
    const storySubjects = new Set(Object.keys(expected));
    const elsewhere = Object.entries(actual).filter(
      ([subject]) =>
        !storySubjects.has(subject) && !subject.includes('(cluster)') && !subject.startsWith('s3://') && !subject.startsWith('arn:'),
    );
    expect(elsewhere).toEqual([]);
    const clusterScoped = findings.filter((f) => f.subject.kind === 'cluster' || f.subject.kind === 'role');
    expect(clusterScoped.map((f) => f.code)).toEqual(['PI008']);
    expect(clusterScoped[0].title).toContain('KarpenterController-prod-use1');
  });
});
