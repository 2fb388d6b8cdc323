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
import { isSnapshotFinding } from '@/lib/identity/catalog';
import type { Finding } from '@/lib/model/finding';
import { simulatedFleetClusters } from '@/scripts/demo-identity';
import { consoleEnvironment, startSim, type RunningSim } from '../index';

// The demo's bulk (demo-fleet/*.yaml and the generated roles and associations, scripts/generate-demo-fleet.ts)
// is meant to be healthy: collected and evaluated by the product's own pipeline, the only findings are the
// stories of demo.expected.yaml, the one expectation that e2e/stories.spec.ts also reads.

const FLEET_DIR = path.join(__dirname, 'demo-fleet');
const expected = YAML.parse(fs.readFileSync(path.join(__dirname, 'demo.expected.yaml'), 'utf8')) as {
  serviceAccounts: { id: string; codes: string[] }[];
  clusters: Record<string, { codes: string[] }>;
};
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

  it('flags exactly what demo.expected.yaml lists: each story its codes, every other subject nothing', () => {
    // Snapshot findings (SN*) come from the snapshot sources, not from evaluating the fleet; e2e/stories.spec.ts
    // checks them on the rows. Everything else must match the one expectation file exactly.
    const fromFleet = (codes: string[]) => codes.filter((code) => !isSnapshotFinding(code)).sort();
    const actual: Record<string, string[]> = {};
    for (const finding of findings) {
      const subject = subjectOf(finding);
      actual[subject] = [...new Set([...(actual[subject] ?? []), finding.code])].sort();
    }
    const wanted: Record<string, string[]> = {};
    for (const story of expected.serviceAccounts) wanted[story.id] = fromFleet(story.codes);
    for (const [cluster, { codes }] of Object.entries(expected.clusters))
      if (codes.length > 0) wanted[`${cluster} (cluster)`] = fromFleet(codes);
    expect(actual).toEqual(Object.fromEntries(Object.entries(wanted).filter(([, codes]) => codes.length > 0)));
    const unused = findings.find((f) => f.code === 'PI008');
    expect(unused?.title).toContain('KarpenterController-prod-use1');
  });
});
