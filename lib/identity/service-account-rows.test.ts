import { describe, expect, it } from 'vitest';
import { buildClusterRows, buildServiceAccountDetail, buildServiceAccountRows } from './service-account-rows';
import {
  ACCOUNT,
  PI_ENV,
  association,
  eksCluster,
  fleet,
  healthyIrsa,
  healthyPodIdentity,
  iamRole,
  irsaEnv,
  issuerHost,
  missing,
  node,
  pod,
  podIdentityStatement,
  roleArn,
  roles,
  serviceAccount,
} from './test-fixtures';

const row = (rows: ReturnType<typeof buildServiceAccountRows>, ns: string, name: string) =>
  rows.find((r) => r.namespace === ns && r.name === name)!;

describe('buildServiceAccountRows', () => {
  it('one row per SA plus one per association whose SA does not exist (exists=false)', () => {
    const f = healthyPodIdentity();
    f.clusters[0].eks!.associations!.push(association('ghost', 'nobody', { associationId: 'a-ghost', roleArn: roleArn('api-role') }));
    const rows = buildServiceAccountRows(f);
    expect(rows.map((r) => `${r.namespace}/${r.name}:${r.exists}`).sort()).toEqual(['ghost/nobody:false', 'payments/api:true']);
    expect(row(rows, 'ghost', 'nobody').findings.map((x) => x.code)).toContain('PI007');
  });

  it('a healthy Pod Identity SA: mechanism, role, pods, no findings', () => {
    const [r] = buildServiceAccountRows(healthyPodIdentity());
    expect(r).toMatchObject({
      mechanism: 'pod-identity',
      podMechanisms: { 'pod-identity': 1 },
      podIdentity: {
        associationId: 'a-payments1234567',
        roleArn: roleArn('api-role'),
        targetRoleArn: null,
        ownerArn: null,
        disableSessionTags: false,
      },
      irsa: null,
      pods: { total: 1, stale: 0 },
      findings: [],
      worstSeverity: null,
    });
  });

  it('mechanism counted per pod: mixed when pods differ, static keys override', () => {
    const f = healthyPodIdentity({
      pods: [
        pod('payments', 'a', { serviceAccount: 'api', env: PI_ENV }),
        pod('payments', 'b', { serviceAccount: 'api' }),
        pod('payments', 'c', { serviceAccount: 'api', env: [...PI_ENV, { name: 'AWS_ACCESS_KEY_ID', value: 'AKIA' }] }),
      ],
    });
    const [r] = buildServiceAccountRows(f);
    expect(r.mechanism).toBe('mixed');
    expect(r.podMechanisms).toEqual({ 'pod-identity': 1, none: 1, 'static-keys': 1 });
    expect(r.pods).toEqual({ total: 3, stale: 1 });
    expect(r.worstSeverity).toBe('error');
    // Worst first.
    expect(r.findings.map((x) => x.code)).toEqual(['ID002', 'PI005']);
  });

  it('with no pods, the mechanism is what new pods would get: Pod Identity wins over IRSA', () => {
    const f = healthyIrsa({ pods: [], cluster: { associations: [association('shop', 'web')] } });
    expect(buildServiceAccountRows(f)[0].mechanism).toBe('pod-identity');
    expect(buildServiceAccountRows(healthyIrsa({ pods: [] }))[0].mechanism).toBe('irsa');
    expect(buildServiceAccountRows(fleet([eksCluster({ serviceAccounts: [serviceAccount('a', 'b')] })]))[0].mechanism).toBe('none');
  });

  it('unknown when pods are unreadable; stale unknown too', () => {
    const [r] = buildServiceAccountRows(healthyPodIdentity({ cluster: { pods: null } }));
    expect(r.mechanism).toBe('unknown');
    expect(r.pods).toEqual({ total: null, stale: null });
  });

  it('IRSA: sts desired vs running counted over IRSA pods only; a "both" pod counts as IRSA', () => {
    const f = healthyIrsa({
      annotations: { 'eks.amazonaws.com/sts-regional-endpoints': 'true' },
      pods: [
        pod('shop', 'w1', { serviceAccount: 'web', env: irsaEnv(roleArn('web-role'), 'regional') }),
        pod('shop', 'w2', { serviceAccount: 'web', env: irsaEnv(roleArn('web-role')) }),
        pod('shop', 'w3', { serviceAccount: 'web', env: [...irsaEnv(roleArn('web-role'), 'legacy'), ...PI_ENV] }),
        pod('shop', 'w4', { serviceAccount: 'web' }),
      ],
    });
    const [r] = buildServiceAccountRows(f);
    expect(r.sts).toEqual({ annotation: 'true', desired: 'regional', running: { regional: 1, legacy: 1, unset: 1 } });
    expect(r.irsa).toEqual({ roleArn: roleArn('web-role'), audience: 'sts.amazonaws.com', tokenExpiration: null });
    expect(r.podMechanisms).toEqual({ irsa: 2, both: 1, none: 1 });
    // w2, w3 run the wrong STS mode; w4 lacks IRSA env.
    expect(r.pods).toEqual({ total: 4, stale: 3 });
    expect(r.findings.map((x) => x.code).sort()).toEqual(['IR006', 'ST001']);
  });

  it('builds one row per SA for 5,000 SAs, 20,000 pods and 1,000 associations (speed is measured by `npm run bench -- matrix`)', () => {
    const role = iamRole(roleArn('bulk'), [podIdentityStatement()]);
    const sas = Array.from({ length: 5000 }, (_, i) =>
      serviceAccount(`ns-${i % 50}`, `sa-${i}`, i % 7 === 0 ? { 'eks.amazonaws.com/role-arn': roleArn('bulk') } : {}),
    );
    const pods = Array.from({ length: 20000 }, (_, i) =>
      pod(`ns-${(i % 5000) % 50}`, `p-${i}`, {
        serviceAccount: `sa-${i % 5000}`,
        node: `node-${i % 40}`,
        env: i % 5000 < 1000 ? PI_ENV : [],
      }),
    );
    const associations = Array.from({ length: 1000 }, (_, i) =>
      association(`ns-${i % 50}`, `sa-${i}`, { associationId: `a-${i}`, roleArn: role.arn }),
    );
    const nodes = Array.from({ length: 40 }, (_, i) => node(`node-${i}`));
    const f = fleet([eksCluster({ serviceAccounts: sas, pods, associations, nodes })], { roles: roles(role) });
    const rows = buildServiceAccountRows(f);
    expect(rows).toHaveLength(5000);
    expect(rows.filter((r) => r.podIdentity !== null)).toHaveLength(1000);
    // No wall-clock budget here (3 s alone, over 5 s on a loaded 2-core machine): speed is the bench's job.
  }, 60_000);
});

describe('buildServiceAccountDetail: the credential chain', () => {
  it('a healthy Pod Identity SA passes every step, shows the matched statement and commands', () => {
    const d = buildServiceAccountDetail(healthyPodIdentity(), 'prod', 'payments', 'api')!;
    expect(d.chain.map((s) => [s.step, s.status])).toEqual([
      ['association', 'pass'],
      ['role', 'pass'],
      ['trust-policy', 'pass'],
      ['agent', 'pass'],
      ['pod-env', 'pass'],
      ['sdk', 'pass'],
    ]);
    const trust = d.chain.find((s) => s.step === 'trust-policy')!;
    expect(trust.title).toContain('AllowEksAuthToAssumeRoleForPodIdentity');
    expect(trust.commands).toContain('aws iam get-role --role-name api-role --query Role.AssumeRolePolicyDocument');
    expect(d.chain[0].commands).toContain(
      'aws eks describe-pod-identity-association --cluster-name prod --region us-east-1 --association-id a-payments1234567',
    );
    expect(d.chain.find((s) => s.step === 'pod-env')!.commands).toContain(
      'kubectl -n payments get pods -o wide --field-selector spec.serviceAccountName=api',
    );
    expect(d.podDetails).toEqual([
      expect.objectContaining({
        name: 'api-1',
        node: 'node-a',
        mechanism: 'pod-identity',
        stale: false,
        env: expect.arrayContaining([expect.objectContaining({ name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', source: 'value' })]),
      }),
    ]);
  });

  it('a broken trust: the trust step fails with why, later steps still report', () => {
    const f = healthyPodIdentity({
      statements: [podIdentityStatement({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } })],
    });
    const d = buildServiceAccountDetail(f, 'prod', 'payments', 'api')!;
    const trust = d.chain.find((s) => s.step === 'trust-policy')!;
    expect(trust.status).toBe('fail');
    expect(trust.title).toContain('aws:PrincipalOrgID');
    expect(d.chain.find((s) => s.step === 'agent')!.status).toBe('pass');
  });

  it('a missing role fails the role step; stale pods warn the env step with start time against the association', () => {
    const f = healthyPodIdentity({ pods: [pod('payments', 'old', { serviceAccount: 'api', startTime: '2026-11-01T00:00:00Z' })] });
    f.roles[roleArn('api-role')] = missing();
    const d = buildServiceAccountDetail(f, 'prod', 'payments', 'api')!;
    expect(d.chain.find((s) => s.step === 'role')!.status).toBe('fail');
    const env = d.chain.find((s) => s.step === 'pod-env')!;
    expect(env.status).toBe('warn');
    expect(env.evidence).toMatchObject({ changeTime: '2026-11-10T10:00:00Z', pods: [{ pod: 'old', startedBeforeChange: true }] });
    expect(d.podDetails[0].stale).toBe(true);
  });

  it('IRSA chain: annotation, role, OIDC provider, trust, env, STS mode; SDK verdicts per image', () => {
    const d = buildServiceAccountDetail(healthyIrsa(), 'prod', 'shop', 'web')!;
    expect(d.chain.map((s) => [s.step, s.status])).toEqual([
      ['irsa-annotation', 'pass'],
      ['irsa-role', 'pass'],
      ['oidc-provider', 'pass'],
      ['irsa-trust-policy', 'pass'],
      ['pod-env', 'pass'],
      ['sts-mode', 'pass'],
    ]);
    expect(d.chain.find((s) => s.step === 'oidc-provider')!.evidence).toMatchObject({
      expectedProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuerHost()}`,
    });
  });

  it('unknown steps when inputs are missing (pods unreadable, GetRole denied)', () => {
    const f = healthyPodIdentity({ cluster: { pods: null } });
    f.roles[roleArn('api-role')] = {
      status: 'error',
      error: { source: 'iam', operation: 'GetRole', code: 'AccessDenied', message: 'denied' },
    };
    const d = buildServiceAccountDetail(f, 'prod', 'payments', 'api')!;
    expect(d.chain.find((s) => s.step === 'role')!.status).toBe('unknown');
    expect(d.chain.find((s) => s.step === 'pod-env')!.status).toBe('unknown');
    expect(d.mechanism).toBe('unknown');
  });

  it('argoexec v3.5.11 shows a too-old verdict on the pod and a warn on the sdk step', () => {
    const f = healthyPodIdentity({
      pods: [pod('payments', 'wf', { serviceAccount: 'api', env: PI_ENV, image: 'quay.io/argoproj/argoexec:v3.5.11' })],
    });
    const d = buildServiceAccountDetail(f, 'prod', 'payments', 'api')!;
    expect(d.podDetails[0].images[0].sdkVerdicts[0].verdict).toBe('too-old');
    expect(d.chain.find((s) => s.step === 'sdk')!.status).toBe('warn');
  });

  it('null for an unknown SA or cluster; a detail for an association-only SA', () => {
    expect(buildServiceAccountDetail(healthyPodIdentity(), 'prod', 'payments', 'nope')).toBeNull();
    expect(buildServiceAccountDetail(healthyPodIdentity(), 'nope', 'payments', 'api')).toBeNull();
    const f = healthyPodIdentity({ cluster: { serviceAccounts: [], namespaces: ['payments'] }, pods: [] });
    expect(buildServiceAccountDetail(f, 'prod', 'payments', 'api')?.exists).toBe(false);
  });
});

describe('buildClusterRows', () => {
  it('posture: version, STS default, OIDC registration, agent, association count; cluster findings only', () => {
    const f = healthyPodIdentity();
    const [c] = buildClusterRows(f);
    expect(c).toMatchObject({
      name: 'prod',
      kind: 'eks',
      region: 'us-east-1',
      account: ACCOUNT,
      version: '1.31',
      platformVersion: 'eks.12',
      stsRegionalDefault: true,
      oidcProviderRegistered: true,
      podIdentityAgent: { addonVersion: 'v1.3.4-eksbuild.1', desired: 1, ready: 1 },
      associationCount: 1,
      findings: [],
    });
    f.accounts[ACCOUNT].oidcProviders = [];
    f.clusters[0].eks!.addons = [];
    const [c2] = buildClusterRows(f);
    expect(c2.oidcProviderRegistered).toBe(false);
    expect(c2.findings.map((x) => x.code)).toEqual(['CL001']);
  });
  it('a k3s cluster has no EKS columns', () => {
    const c = eksCluster({ name: 'edge', kind: 'k3s' });
    delete c.eks;
    const [r] = buildClusterRows(fleet([c]));
    expect(r).toEqual({ name: 'edge', kind: 'k3s', findings: [] });
  });
});

describe('rows that could not be fully judged', () => {
  it('name what could not be read, so no findings is not mistaken for healthy', () => {
    const f = healthyPodIdentity();
    f.roles[roleArn('api-role')] = {
      status: 'error',
      error: { source: 'iam', operation: 'GetRole', code: 'AccessDenied', message: 'denied', missingPermission: 'iam:GetRole' },
    };
    f.clusters[0].kube.pods = null;
    const [r] = buildServiceAccountRows(f);
    expect(r.unknown).toEqual(['pods', 'role api-role']);
  });

  it('a fully read healthy row has no unknown field', () => {
    expect(buildServiceAccountRows(healthyPodIdentity())[0].unknown).toBeUndefined();
  });
});
