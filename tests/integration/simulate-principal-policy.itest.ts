import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleEnvironment, startSim, type RunningSim } from '@/sim/index';
import { pointConsoleAt } from '../support/console-environment';
import type { Scope } from '@/lib/auth/scope';
import { askAws, getAccess, getServiceAccountPermissions } from '@/lib/console/permission-queries';

// Issue 13, "Done when": `aws iam simulate-principal-policy` (the real aws CLI, pointed at the simulator with
// AWS_ENDPOINT_URL) agrees with the console's API for the same questions: the service account page's check
// (GET …/permissions?action=&resource=) and the reverse lookup (GET /api/v1/access). The CLI questions are
// built here from the scenario, not from the console's own "Ask AWS" request, so the two sides are independent:
// the role as PolicySourceArn, the EKS session tags as aws:PrincipalTag context entries, the association's
// session policy as PolicyInputList (domain.md §1d), and for a bucket policy, the policy as ResourcePolicy
// with an IAM user as CallerArn (AWS takes only a user there; the Deny below names no principal, so the
// caller does not change the answer).

const run = promisify(execFile);
const awsPath = await run('sh', ['-c', 'command -v aws']).then(
  ({ stdout }) => stdout.trim() || null,
  () => null,
);
if (!awsPath) console.warn('simulate-principal-policy.itest.ts: skipped — the `aws` CLI is not installed (not on PATH)');

const ACCOUNT = '111122223333';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const CLUSTER = 'prod-use1';
const CLUSTER_ARN = `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/${CLUSTER}`;

const SESSION_POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'ReadOnly', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
const LOCKED_BUCKET_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Frozen', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::locked/frozen/*' }],
};

const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
};

// Each service account: its namespace/name, role, and whether the association turns tags off with a session policy.
const ACCOUNTS = [
  { namespace: 'batch', name: 'writer', role: 'writer' },
  { namespace: 'batch', name: 'bounded', role: 'bounded' },
  { namespace: 'reports', name: 'abac', role: 'abac' },
  { namespace: 'batch', name: 'scoped', role: 'writer', sessionPolicy: true },
] as const;

const SCENARIO = `
accounts:
  - id: "${ACCOUNT}"
    managedPolicies:
      - name: data-rw
        document:
          Version: "2012-10-17"
          Statement:
            - { Sid: ReadWriteData, Effect: Allow, Action: [s3:GetObject, s3:PutObject], Resource: ["arn:aws:s3:::data/*", "arn:aws:s3:::locked/*"] }
            - { Sid: ListData, Effect: Allow, Action: s3:ListBucket, Resource: "arn:aws:s3:::data" }
      - name: read-only-boundary
        document: { Version: "2012-10-17", Statement: [ { Sid: ReadOnlyBoundary, Effect: Allow, Action: [s3:GetObject, s3:ListBucket], Resource: "*" } ] }
    roles:
      - name: writer
        trustPolicy: ${JSON.stringify(trust)}
        attachedPolicies: [ arn:aws:iam::${ACCOUNT}:policy/data-rw ]
        inlinePolicies:
          no-deletes: { Version: "2012-10-17", Statement: [ { Sid: NoDeletes, Effect: Deny, Action: "s3:Delete*", Resource: "*" } ] }
      - name: bounded
        trustPolicy: ${JSON.stringify(trust)}
        attachedPolicies: [ arn:aws:iam::${ACCOUNT}:policy/data-rw ]
        permissionsBoundary: arn:aws:iam::${ACCOUNT}:policy/read-only-boundary
      - name: abac
        trustPolicy: ${JSON.stringify(trust)}
        inlinePolicies:
          own-namespace:
            Version: "2012-10-17"
            Statement:
              - { Sid: OwnNamespace, Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::data/\${aws:PrincipalTag/kubernetes-namespace}/*" }
    users:
      - name: simulation-caller
        accessKeyId: AKIASIMULATIONCALLER
        secretAccessKey: simulation-caller-secret
buckets:
  - { name: data, owner: "${ACCOUNT}" }
  - { name: logs, owner: "${ACCOUNT}" }
  - name: locked
    owner: "${ACCOUNT}"
    policy: ${JSON.stringify(LOCKED_BUCKET_POLICY)}
clusters:
  - name: ${CLUSTER}
    kind: eks
    account: "${ACCOUNT}"
    region: us-east-1
    addons: [ { name: eks-pod-identity-agent, version: v1.3.4-eksbuild.1 } ]
    podIdentityAssociations:
${ACCOUNTS.map(
  (sa) =>
    `      - { namespace: ${sa.namespace}, serviceAccount: ${sa.name}, roleArn: "${role(sa.role)}"${
      'sessionPolicy' in sa ? `, disableSessionTags: true, policy: ${JSON.stringify(SESSION_POLICY)}` : ''
    } }`,
).join('\n')}
    objects:
${ACCOUNTS.map((sa) => `      - { apiVersion: v1, kind: ServiceAccount, metadata: { name: ${sa.name}, namespace: ${sa.namespace} } }`).join(
  '\n',
)}
`;

type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

// [service account, action, resource, what AWS's evaluation logic gives, why]
const QUESTIONS: [(typeof ACCOUNTS)[number], string, string, Decision, string][] = [
  [ACCOUNTS[0], 's3:PutObject', 'arn:aws:s3:::data/orders/1.json', 'allowed', 'the managed policy allows'],
  [ACCOUNTS[0], 's3:DeleteObject', 'arn:aws:s3:::data/orders/1.json', 'explicitDeny', 'the inline Deny wins'],
  [ACCOUNTS[0], 's3:ListBucket', 'arn:aws:s3:::logs', 'implicitDeny', 'no statement allows'],
  [ACCOUNTS[0], 's3:PutObject', 'arn:aws:s3:::locked/frozen/1.json', 'explicitDeny', 'the bucket policy denies'],
  [ACCOUNTS[0], 's3:PutObject', 'arn:aws:s3:::locked/open/1.json', 'allowed', 'the bucket policy denies only frozen/'],
  [ACCOUNTS[1], 's3:PutObject', 'arn:aws:s3:::data/orders/1.json', 'implicitDeny', 'the permissions boundary does not allow writes'],
  [ACCOUNTS[1], 's3:GetObject', 'arn:aws:s3:::data/orders/1.json', 'allowed', 'both the identity policy and the boundary allow'],
  [ACCOUNTS[2], 's3:GetObject', 'arn:aws:s3:::data/reports/q3.csv', 'allowed', 'the namespace session tag matches'],
  [ACCOUNTS[2], 's3:GetObject', 'arn:aws:s3:::data/batch/q3.csv', 'implicitDeny', 'another namespace'],
  [ACCOUNTS[3], 's3:GetObject', 'arn:aws:s3:::data/orders/1.json', 'allowed', 'the role and the session policy allow'],
  [ACCOUNTS[3], 's3:PutObject', 'arn:aws:s3:::data/orders/1.json', 'implicitDeny', 'the session policy does not allow writes'],
];

const ADMIN: Scope = {
  isAdmin: true,
  canSeeCluster: () => true,
  canSeeNamespace: () => true,
  canAct: () => true,
  canActOnCluster: () => true,
  roleBinding: () => ({ allowed: true }),
  mayBindSomewhere: () => true,
  hasRolePatterns: () => true,
  needsRoleTags: () => false,
};

let sim: RunningSim;
let restoreEnvironment: (() => void) | undefined;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wic-simulate-'));
  const scenarioFile = path.join(dir, 'scenario.yaml');
  writeFileSync(scenarioFile, SCENARIO);
  writeFileSync(path.join(dir, 'locked-policy.json'), JSON.stringify(LOCKED_BUCKET_POLICY));
  sim = await startSim({ scenarioFile, kubeconfigPath: path.join(dir, 'kubeconfig') });
  restoreEnvironment = pointConsoleAt({ ...consoleEnvironment(sim), DATA_DIR: dir }, ['CONSOLE_CONFIG']);
});

afterAll(async () => {
  await sim?.stop();
  restoreEnvironment?.();
});

/**
 * The question as the aws CLI asks it, with AWS_ENDPOINT_URL pointing it at the simulator. A session policy is
 * not an identity policy (--policy-input-list would add it to the role's, a union): it narrows like a boundary,
 * so it is simulated as --permissions-boundary-policy-input-list, next to a plain run that keeps the role's own
 * boundary; both must allow and a Deny in either wins.
 */
async function simulate(sa: (typeof ACCOUNTS)[number], action: string, resource: string): Promise<Decision> {
  if (!('sessionPolicy' in sa)) return simulateOnce(sa, action, resource, []);
  const [plain, narrowed] = [
    await simulateOnce(sa, action, resource, []),
    await simulateOnce(sa, action, resource, ['--permissions-boundary-policy-input-list', JSON.stringify(SESSION_POLICY)]),
  ];
  if (plain === 'explicitDeny' || narrowed === 'explicitDeny') return 'explicitDeny';
  return plain === 'allowed' && narrowed === 'allowed' ? 'allowed' : 'implicitDeny';
}

async function simulateOnce(sa: (typeof ACCOUNTS)[number], action: string, resource: string, extra: string[]): Promise<Decision> {
  const args = ['iam', 'simulate-principal-policy', '--policy-source-arn', role(sa.role), '--action-names', action];
  args.push('--resource-arns', resource, ...extra);
  if (!('sessionPolicy' in sa))
    args.push(
      '--context-entries',
      ...Object.entries({
        'eks-cluster-arn': CLUSTER_ARN,
        'eks-cluster-name': CLUSTER,
        'kubernetes-namespace': sa.namespace,
        'kubernetes-service-account': sa.name,
      }).map(([tag, value]) => `ContextKeyName=aws:PrincipalTag/${tag},ContextKeyValues=${value},ContextKeyType=string`),
    );
  if (resource.startsWith('arn:aws:s3:::locked/'))
    args.push(
      '--resource-policy',
      `file://${path.join(dir, 'locked-policy.json')}`,
      '--caller-arn',
      `arn:aws:iam::${ACCOUNT}:user/simulation-caller`,
      '--resource-owner',
      `arn:aws:iam::${ACCOUNT}:root`,
    );
  const env = consoleEnvironment(sim);
  const { stdout } = await run(awsPath!, [...args, '--output', 'json'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ENDPOINT_URL: sim.awsUrl,
      AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    } as unknown as NodeJS.ProcessEnv,
    timeout: 60_000,
  });
  const results = (JSON.parse(stdout) as { EvaluationResults: { EvalActionName: string; EvalDecision: Decision }[] }).EvaluationResults;
  expect(results).toHaveLength(1);
  return results[0].EvalDecision;
}

describe.skipIf(!awsPath)('aws iam simulate-principal-policy agrees with the console', () => {
  it.each(QUESTIONS.map(([sa, action, resource, expected, why]) => ({ sa, action, resource, expected, why })))(
    '$sa.namespace/$sa.name $action on $resource: $expected ($why)',
    async ({ sa, action, resource, expected }) => {
      const aws = await simulate(sa, action, resource);
      // The scenario was written for this answer; if AWS's side moved, the comparison below would be vacuous.
      expect(aws).toBe(expected);

      const page = await getServiceAccountPermissions(CLUSTER, sa.namespace, sa.name, ADMIN, { action, resource });
      expect(page?.check, `the console judged ${sa.namespace}/${sa.name}`).toBeDefined();
      expect(page!.check!.detail).toBe({ allowed: 'allowed', explicitDeny: 'explicit-deny', implicitDeny: 'implicit-deny' }[aws]);

      const lookup = await getAccess({ action, resource }, { cluster: CLUSTER, namespace: sa.namespace }, ADMIN);
      const item = lookup.items.find((candidate) => candidate.name === sa.name);
      if (aws === 'allowed') expect(item?.decision).toBe('allowed');
      else expect(item?.decision ?? 'denied').toBe('denied');

      // The page's "Ask AWS" asks the same of SimulatePrincipalPolicy (without the bucket policy: AWS takes a
      // resource policy only with an IAM user as caller), and must get AWS's answer and agree with the console.
      if (!resource.startsWith('arn:aws:s3:::locked/')) {
        const asked = await askAws(CLUSTER, sa.namespace, sa.name, ADMIN, { action, resource });
        expect(asked?.aws?.detail).toBe(aws);
        expect(asked?.agree).toBe(true);
      }
    },
  );
});
