import { describe, expect, it } from 'vitest';
import type { FleetState } from '@/lib/model/cluster-state';
import { evaluateFleet } from '../evaluate-identity';
import {
  ACCOUNT,
  association,
  healthyIrsa,
  iamRole,
  irsaEnv,
  issuerHost,
  lookupError,
  missing,
  pod,
  roleArn,
  webIdentityStatement,
} from '../test-fixtures';

const codes = (f: FleetState) => evaluateFleet(f).map((x) => x.code);
const only = (f: FleetState, code: string) => evaluateFleet(f).filter((x) => x.code === code);

describe('healthy IRSA baseline', () => {
  it('flags nothing', () => {
    expect(evaluateFleet(healthyIrsa())).toEqual([]);
  });
});

describe('IR001: the annotation is not a valid IAM role ARN', () => {
  it('fires for a role name, a user ARN, a short account', () => {
    for (const bad of ['web-role', `arn:aws:iam::${ACCOUNT}:user/web`, 'arn:aws:iam::1234:role/web', ` ${roleArn('web-role')}`]) {
      const f = healthyIrsa({ annotations: { 'eks.amazonaws.com/role-arn': bad } });
      const [finding] = only(f, 'IR001');
      expect(finding?.evidence).toMatchObject({ value: bad });
    }
  });
  it('does not fire for valid ARNs with a path or another partition', () => {
    for (const ok of [roleArn('web-role'), `arn:aws:iam::${ACCOUNT}:role/team/a/web-role`, `arn:aws-cn:iam::${ACCOUNT}:role/web`]) {
      expect(codes(healthyIrsa({ annotations: { 'eks.amazonaws.com/role-arn': ok } }))).not.toContain('IR001');
    }
  });
});

describe('IR002: the role does not exist', () => {
  it('fires on NoSuchEntity', () => {
    const f = healthyIrsa();
    f.roles[roleArn('web-role')] = missing();
    expect(only(f, 'IR002')[0].title).toContain('web-role');
  });
  it('does not fire when GetRole was denied', () => {
    const f = healthyIrsa();
    f.roles[roleArn('web-role')] = lookupError(roleArn('web-role'));
    expect(codes(f)).not.toContain('IR002');
  });
});

describe("IR003: the cluster's OIDC issuer is not registered as an IAM OIDC provider in the role's account", () => {
  it('fires when the role account has other providers only', () => {
    const f = healthyIrsa({
      fleet: { accounts: { [ACCOUNT]: { roles: null, oidcProviders: ['oidc.eks.us-east-1.amazonaws.com/id/OTHER'] } } },
    });
    expect(only(f, 'IR003')[0].evidence).toMatchObject({ expectedProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuerHost()}` });
  });
  it("checks the ROLE's account, not the cluster's (cross-account IRSA)", () => {
    const other = '444455556666';
    const role = iamRole(roleArn('web-role', other), [webIdentityStatement('shop', 'web', { account: other })]);
    const f = healthyIrsa({
      annotations: { 'eks.amazonaws.com/role-arn': role.arn },
      fleet: { accounts: { [ACCOUNT]: { roles: null, oidcProviders: [issuerHost()] }, [other]: { roles: null, oidcProviders: [] } } },
    });
    f.roles = { [role.arn]: { status: 'found', role } };
    expect(codes(f)).toContain('IR003');
    f.accounts[other].oidcProviders = [`https://${issuerHost()}`];
    expect(codes(f)).not.toContain('IR003');
  });
  it('does not fire when providers could not be listed or the issuer is unknown', () => {
    expect(codes(healthyIrsa({ fleet: { accounts: { [ACCOUNT]: { roles: null, oidcProviders: null } } } }))).not.toContain('IR003');
    expect(
      codes(healthyIrsa({ cluster: { eksCluster: null }, fleet: { accounts: { [ACCOUNT]: { roles: null, oidcProviders: [] } } } })),
    ).not.toContain('IR003');
  });
});

describe("IR004: no Allow statement for sts:AssumeRoleWithWebIdentity with Principal.Federated = this cluster's OIDC provider ARN", () => {
  it("fires when the trust names another cluster's provider", () => {
    const f = healthyIrsa({ statements: [webIdentityStatement('shop', 'web', { issuer: 'oidc.eks.us-east-1.amazonaws.com/id/OTHER' })] });
    expect(only(f, 'IR004')[0].evidence).toMatchObject({
      expectedFederatedPrincipal: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuerHost()}`,
    });
    expect(codes(f)).not.toContain('IR005');
  });
  it('fires when the statement grants sts:AssumeRole instead', () => {
    expect(codes(healthyIrsa({ statements: [{ ...webIdentityStatement('shop', 'web'), Action: 'sts:AssumeRole' }] }))).toContain('IR004');
  });
  it('does not fire for sts:* or an extra unrelated statement', () => {
    expect(codes(healthyIrsa({ statements: [{ ...webIdentityStatement('shop', 'web'), Action: 'sts:*' }] }))).not.toContain('IR004');
  });
});

describe('IR005: the statement exists but its conditions exclude this SA (sub / aud)', () => {
  it('fires for a sub naming another SA, saying which value it expected', () => {
    const [finding] = only(healthyIrsa({ statements: [webIdentityStatement('shop', 'worker')] }), 'IR005');
    expect(finding.title).toContain('system:serviceaccount:shop:worker');
    expect(finding.title).toContain('system:serviceaccount:shop:web');
  });
  it('fires for an audience mismatch (annotation audience)', () => {
    expect(codes(healthyIrsa({ annotations: { 'eks.amazonaws.com/audience': 'custom' } }))).toContain('IR005');
  });
  it('fires for a StringEquals sub with a wildcard (StringEquals does not expand *)', () => {
    expect(codes(healthyIrsa({ statements: [webIdentityStatement('shop', 'web', { sub: 'system:serviceaccount:shop:*' })] }))).toContain(
      'IR005',
    );
  });
  it('does not fire for StringLike with * or ?', () => {
    expect(
      codes(healthyIrsa({ statements: [webIdentityStatement('shop', 'web', { op: 'StringLike', sub: 'system:serviceaccount:shop:*' })] })),
    ).not.toContain('IR005');
    expect(
      codes(
        healthyIrsa({ statements: [webIdentityStatement('shop', 'web', { op: 'StringLike', sub: 'system:serviceaccount:sho?:we?' })] }),
      ),
    ).not.toContain('IR005');
  });
});

describe('IR006: some pods lack AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE and the SA has no association', () => {
  it('fires with the stale pods and roll-pods', () => {
    const f = healthyIrsa({
      pods: [
        pod('shop', 'web-old', { serviceAccount: 'web', startTime: '2026-10-01T00:00:00Z' }),
        pod('shop', 'web-1', { serviceAccount: 'web', env: irsaEnv(roleArn('web-role'), 'regional') }),
      ],
    });
    const [finding] = only(f, 'IR006');
    expect(finding.evidence).toMatchObject({ pods: [{ pod: 'web-old', startTime: '2026-10-01T00:00:00Z' }] });
    expect(finding.action).toEqual({ type: 'roll-pods', params: { cluster: 'prod', namespace: 'shop', serviceAccount: 'web' } });
  });
  it('does not fire when the SA also has an association (new pods then get Pod Identity), or associations are unreadable', () => {
    const stalePods = [pod('shop', 'web-old', { serviceAccount: 'web' })];
    expect(codes(healthyIrsa({ pods: stalePods, cluster: { associations: [association('shop', 'web')] } }))).not.toContain('IR006');
    expect(codes(healthyIrsa({ pods: stalePods, cluster: { associations: null } }))).not.toContain('IR006');
  });
  it('does not fire when only one of the two vars is missing in one container but another container has both', () => {
    const f = healthyIrsa({
      pods: [
        pod('shop', 'web-1', {
          serviceAccount: 'web',
          containers: [
            { name: 'init', env: [{ name: 'AWS_ROLE_ARN', value: 'x' }] },
            { name: 'app', env: irsaEnv(roleArn('web-role'), 'regional') },
          ],
        }),
      ],
    });
    expect(codes(f)).not.toContain('IR006');
  });
});

describe('IR007: eks.amazonaws.com/token-expiration is not an integer in 600–86400', () => {
  it('fires for 300, 90000, "1h", "3600.5"', () => {
    for (const v of ['300', '90000', '1h', '3600.5'])
      expect(codes(healthyIrsa({ annotations: { 'eks.amazonaws.com/token-expiration': v } }))).toContain('IR007');
  });
  it('does not fire for 600, 86400, 3600 or when absent', () => {
    for (const v of ['600', '86400', '3600'])
      expect(codes(healthyIrsa({ annotations: { 'eks.amazonaws.com/token-expiration': v } }))).not.toContain('IR007');
    expect(codes(healthyIrsa())).not.toContain('IR007');
  });
});
