import { generatedNamespaceName, generatedServiceAccountName } from '../sim/build-world';
import { writeBenchScenario } from './bench-scenarios';
import { startSimProcess } from './sim-process';
import { resetAwsClients } from '../lib/aws/clients';
import { resetKubeConnections } from '../lib/kube/client';
import { CollectCache, DEFAULT_CACHE_OPTIONS } from '../lib/collect/cache';
import { collectFleet } from '../lib/collect/collect-fleet';
import { parseConsoleConfig } from '../lib/config/console-config';
import { resolveClusterTargets } from '../lib/config/cluster-targets';
import type { FleetState } from '../lib/model/cluster-state';
import { accessIndexOf, lookUpAccess } from '../lib/identity/access-index';
import { grantedActions } from '../lib/identity/permission-view';

// Issue 13's benchmark: 1,000 workload roles, each with 3 customer managed policies (from a pool of 30 shared
// between roles) and an inline policy, 20 ms injected into every IAM call. Prints the cold and warm time of the
// fleet's effective permissions, the IAM policy calls made against the ideal (each role's listings and inline
// policy once, each distinct managed policy version once), and the reverse lookup over 5,000 service accounts.

const ACCOUNT = '111122223333';
const NAMESPACES = 50;
const SAS_PER_NAMESPACE = 100;
const ASSOCIATIONS_PER_NAMESPACE = 20;
const MANAGED = 30;
const PER_ROLE = 3;

const PI_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
};

const POLICY_READS = ['ListRolePolicies', 'GetRolePolicy', 'ListAttachedRolePolicies', 'GetPolicy', 'GetPolicyVersion'];

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const fmt = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(1)} ms`);

function scenario(): string {
  const managedPolicies = Array.from({ length: MANAGED }, (_, i) => ({
    name: `bench-shared-${i}`,
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: `Read${i}`,
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [`arn:aws:s3:::data-${i}`, `arn:aws:s3:::data-${i}/*`],
        },
        { Sid: `Queue${i}`, Effect: 'Allow', Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-${i}` },
      ],
    },
  }));
  const roles: unknown[] = [];
  let r = 0;
  for (let n = 0; n < NAMESPACES; n++)
    for (let s = 0; s < ASSOCIATIONS_PER_NAMESPACE; s++, r++) {
      const namespace = generatedNamespaceName(n);
      roles.push({
        // The name the simulator gives a generated association's role, so the generated associations use these.
        name: `gen-${namespace}-${generatedServiceAccountName(s)}`,
        trustPolicy: PI_TRUST,
        attachedPolicies: Array.from(
          { length: PER_ROLE },
          (_, k) => `arn:aws:iam::${ACCOUNT}:policy/bench-shared-${(r + k * 7) % MANAGED}`,
        ),
        inlinePolicies: {
          own: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'OwnPrefix',
                Effect: 'Allow',
                Action: ['s3:PutObject', 's3:GetObject'],
                Resource: `arn:aws:s3:::apps/${namespace}/${r}/*`,
              },
              ...(r % 100 === 0 ? [{ Sid: 'NoDeletes', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }] : []),
            ],
          },
        },
      });
    }
  return writeBenchScenario({
    clusters: [
      {
        name: 'bench',
        namespaces: NAMESPACES,
        serviceAccountsPerNamespace: SAS_PER_NAMESPACE,
        podsPerServiceAccount: 0,
        associationsPerNamespace: ASSOCIATIONS_PER_NAMESPACE,
      },
    ],
    awsLatencyMs: 20,
    moreAwsOperations: POLICY_READS.map((operation) => ['iam', operation]),
    managedPolicies,
    roles,
  });
}

/** The effective permissions of every SA: its session built, then every action its policies grant judged. */
function effectivePermissions(fleet: FleetState): { identities: number; actions: number } {
  const index = accessIndexOf(fleet);
  let actions = 0;
  for (const subject of index.subjects) for (const group of grantedActions(subject.identity)) actions += group.actions.length;
  return { identities: index.subjects.length, actions };
}

/** Calls that reached IAM: a cached listing counts once for its whole and once per page, so its whole is taken off. */
function policyCalls(callsByOperation: Record<string, number>, roles: number): { total: number; detail: string } {
  let total = 0;
  const parts: string[] = [];
  for (const operation of POLICY_READS) {
    let count = callsByOperation[`iam:${operation}`] ?? 0;
    if (operation.startsWith('List') && count > 0) count -= roles;
    total += count;
    parts.push(`${operation} ${count}`);
  }
  return { total, detail: parts.join(', ') };
}

export async function benchPermissions(): Promise<void> {
  const roles = NAMESPACES * ASSOCIATIONS_PER_NAMESPACE;
  console.log(
    `\n== permissions: ${roles.toLocaleString('en')} roles × ${PER_ROLE} managed policies (${MANAGED} shared) + 1 inline, ${(NAMESPACES * SAS_PER_NAMESPACE).toLocaleString('en')} SAs, 20 ms per IAM call`,
  );
  const sim = await startSimProcess(scenario());
  const savedEnv = { ...process.env };
  Object.assign(process.env, sim.consoleEnv(ACCOUNT));
  delete process.env.CONSOLE_CONFIG;
  resetAwsClients();
  resetKubeConnections();
  try {
    const targets = resolveClusterTargets(parseConsoleConfig({}, '(zero config)'));
    // A TTL longer than the cold run, so the warm run is warm whatever the machine's load.
    const cache = new CollectCache({ ...DEFAULT_CACHE_OPTIONS, ttlMs: 3_600_000 });

    let start = process.hrtime.bigint();
    const fleet = await collectFleet(targets, { cache });
    const collected = ms(start);
    const evalStart = process.hrtime.bigint();
    const cold = effectivePermissions(fleet);
    const evaluated = ms(evalStart);
    const coldTotal = ms(start);
    const errors = fleet.sourceErrors.length + fleet.clusters.flatMap((c) => c.sourceErrors).length;
    const read = Object.keys(fleet.policies ?? {}).length;
    console.log(
      `cold: ${fmt(coldTotal)} (collect ${fmt(collected)}, effective permissions of ${cold.identities} identities, ${cold.actions} granted actions judged: ${fmt(evaluated)}); ${read} roles' policies read, ${errors} source errors`,
    );
    const calls = policyCalls(cache.stats().callsByOperation, read);
    // Ideal: per role ListRolePolicies, GetRolePolicy (one inline policy), ListAttachedRolePolicies; per distinct
    // managed policy GetPolicy and GetPolicyVersion.
    const ideal = read * 3 + MANAGED * 2;
    console.log(`  IAM policy calls: ${calls.total} against the ideal ${ideal} (${calls.detail})`);

    const before = cache.stats().callsByOperation;
    start = process.hrtime.bigint();
    const warmFleet = await collectFleet(targets, { cache });
    const warm = effectivePermissions(warmFleet);
    const warmTime = ms(start);
    const after = cache.stats().callsByOperation;
    const warmCalls = POLICY_READS.reduce((sum, op) => sum + (after[`iam:${op}`] ?? 0) - (before[`iam:${op}`] ?? 0), 0);
    console.log(`warm: ${fmt(warmTime)} (${warm.identities} identities; IAM policy calls made: ${warmCalls})`);

    const questions = [
      { action: 's3:PutObject', resource: `arn:aws:s3:::apps/${generatedNamespaceName(7)}/140/x.json` },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::data-3/report.csv' },
      { action: 'iam:PassRole', resource: '*' },
    ];
    for (const question of questions) {
      const times: number[] = [];
      let answers = 0;
      for (let round = 0; round < 5; round++) {
        start = process.hrtime.bigint();
        answers = lookUpAccess(warmFleet, question, () => true).length;
        times.push(ms(start));
      }
      console.log(
        `reverse lookup ${question.action} on ${question.resource} over ${(NAMESPACES * SAS_PER_NAMESPACE).toLocaleString('en')} SAs: ${answers} answers; best ${fmt(Math.min(...times))}, worst ${fmt(Math.max(...times))} (target < 200 ms warm)`,
      );
    }
  } finally {
    sim.stop();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    resetAwsClients();
    resetKubeConnections();
  }
}
