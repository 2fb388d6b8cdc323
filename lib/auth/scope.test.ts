import { describe, expect, it } from 'vitest';
import { teamsConfigSchema } from './config-schema';
import { resolvePrincipal, resolveTokenPrincipal } from './principal';
import { scopeFor } from './scope';

const teams = teamsConfigSchema.parse({
  teams: [
    {
      name: 'payments',
      groups: ['idp-payments'],
      clusters: [
        { cluster: 'prod-*', namespaces: ['payments-*'], role: 'operator' },
        { cluster: 'staging', namespaces: ['*'], role: 'viewer' },
      ],
    },
    { name: 'search', groups: ['idp-search'], clusters: [{ cluster: 'prod-eu', namespaces: ['search'], role: 'viewer' }] },
  ],
  admins: { groups: ['platform-admins'] },
});

describe('resolvePrincipal', () => {
  it('maps IdP groups to teams and admin rights', () => {
    const principal = resolvePrincipal({ subject: 'alice', groups: ['idp-payments', 'idp-search', 'idp-payments'], via: 'oidc' }, teams);
    expect(principal.teams).toEqual(['payments', 'search']);
    expect(principal.groups).toEqual(['idp-payments', 'idp-search']);
    expect(principal.isAdmin).toBe(false);
    expect(resolvePrincipal({ subject: 'root', groups: ['platform-admins'], via: 'proxy' }, teams).isAdmin).toBe(true);
  });
});

describe('scopeFor', () => {
  it('lets a team see only its clusters and namespaces, matched by glob', () => {
    const scope = scopeFor(resolvePrincipal({ subject: 'p', groups: ['idp-payments'], via: 'oidc' }, teams), teams);
    expect(scope.canSeeCluster('prod-eu')).toBe(true);
    expect(scope.canSeeCluster('production')).toBe(false);
    expect(scope.canSeeCluster('dev')).toBe(false);
    expect(scope.canSeeNamespace('prod-us', 'payments-api')).toBe(true);
    expect(scope.canSeeNamespace('prod-us', 'payments')).toBe(false);
    expect(scope.canSeeNamespace('prod-us', 'search')).toBe(false);
    expect(scope.canSeeNamespace('staging', 'anything')).toBe(true);
  });

  it('allows actions only under an operator grant', () => {
    const scope = scopeFor(resolvePrincipal({ subject: 'p', groups: ['idp-payments'], via: 'oidc' }, teams), teams);
    expect(scope.canAct('prod-eu', 'payments-api')).toBe(true);
    expect(scope.canAct('staging', 'payments-api')).toBe(false);
    expect(scope.canActOnCluster('prod-eu')).toBe(false);
    const viewer = scopeFor(resolvePrincipal({ subject: 's', groups: ['idp-search'], via: 'oidc' }, teams), teams);
    expect(viewer.canSeeNamespace('prod-eu', 'search')).toBe(true);
    expect(viewer.canAct('prod-eu', 'search')).toBe(false);
  });

  it('gives a user with no team nothing and an admin everything', () => {
    const nobody = scopeFor(resolvePrincipal({ subject: 'x', groups: ['other'], via: 'oidc' }, teams), teams);
    expect(nobody.canSeeCluster('prod-eu')).toBe(false);
    expect(nobody.canSeeNamespace('staging', 'default')).toBe(false);
    const admin = scopeFor(resolvePrincipal({ subject: 'r', groups: ['platform-admins'], via: 'oidc' }, teams), teams);
    expect(admin.canAct('anywhere', 'kube-system')).toBe(true);
  });

  it('caps an API token at its configured role', () => {
    const viewerToken = scopeFor(resolveTokenPrincipal({ subject: 'ci', team: 'payments', role: 'viewer' }), teams);
    expect(viewerToken.canSeeNamespace('prod-eu', 'payments-api')).toBe(true);
    expect(viewerToken.canAct('prod-eu', 'payments-api')).toBe(false);
    expect(viewerToken.canSeeNamespace('prod-eu', 'search')).toBe(false);
    const operatorToken = scopeFor(resolveTokenPrincipal({ subject: 'bot', team: 'payments', role: 'operator' }), teams);
    expect(operatorToken.canAct('prod-eu', 'payments-api')).toBe(true);
    expect(scopeFor(resolveTokenPrincipal({ subject: 'ops', role: 'admin' }), teams).isAdmin).toBe(true);
  });
});

describe('role scope (teams[].clusters[].roles and roleTags)', () => {
  const withRoles = teamsConfigSchema.parse({
    teams: [
      {
        name: 'payments',
        groups: ['idp-payments'],
        clusters: [
          {
            cluster: 'prod-*',
            namespaces: ['payments', 'payments-*'],
            role: 'operator',
            roles: ['arn:aws:iam::111122223333:role/payments-*'],
            roleTags: { team: 'payments' },
          },
          { cluster: 'staging', namespaces: ['*'], role: 'operator' },
        ],
      },
    ],
  });
  const payments = scopeFor(resolvePrincipal({ subject: 'ann', groups: ['idp-payments'], via: 'oidc' }, withRoles), withRoles);
  const own = { arn: 'arn:aws:iam::111122223333:role/payments-api', tags: { team: 'payments' } };

  it('lets an operator bind a role that a pattern of the covering grant matches and that carries every roleTag', () => {
    expect(payments.roleBinding('prod-use1', 'payments', own)).toEqual({ allowed: true });
  });

  it("refuses another team's role and names the missing pattern and the config line that would allow it", () => {
    const decision = payments.roleBinding('prod-use1', 'payments-x', {
      arn: 'arn:aws:iam::444455556666:role/data-catalog-pod-identity',
      tags: {},
    });
    expect(decision).toMatchObject({ allowed: false, missingPattern: 'arn:aws:iam::444455556666:role/data-catalog-pod-identity' });
    expect(!decision.allowed && decision.reason).toContain('roles: ["arn:aws:iam::444455556666:role/data-catalog-pod-identity"]');
    expect(!decision.allowed && decision.reason).toContain('it lists arn:aws:iam::111122223333:role/payments-*');
  });

  it('refuses a matching role without the required tag, or whose tags could not be read', () => {
    const untagged = payments.roleBinding('prod-use1', 'payments', { arn: own.arn, tags: { team: 'data' } });
    expect(untagged).toMatchObject({ allowed: false, missingTags: { team: 'payments' } });
    expect(payments.roleBinding('prod-use1', 'payments', { arn: own.arn })).toMatchObject({ allowed: false });
  });

  it('binds nothing where the grant lists no roles, and nothing through a pattern that looks alike', () => {
    expect(payments.roleBinding('staging', 'payments', own)).toMatchObject({ allowed: false });
    expect(payments.hasRolePatterns('staging')).toBe(false);
    expect(
      payments.roleBinding('prod-use1', 'payments', { arn: 'arn:aws:iam::111122223333:role/paymentsX', tags: { team: 'payments' } })
        .allowed,
    ).toBe(false);
    // A grant on another namespace does not lend its patterns.
    expect(payments.roleBinding('prod-use1', 'data', own).allowed).toBe(false);
  });

  it('gives a viewer token no role and an admin every role', () => {
    const viewerToken = scopeFor(resolveTokenPrincipal({ subject: 'ci', team: 'payments', role: 'viewer' }), withRoles);
    expect(viewerToken.roleBinding('prod-use1', 'payments', own).allowed).toBe(false);
    expect(viewerToken.mayBindSomewhere('prod-use1', undefined, own)).toBe(false);
    const admin = scopeFor(resolveTokenPrincipal({ subject: 'ops', role: 'admin' }), withRoles);
    expect(admin.roleBinding('anywhere', 'kube-system', { arn: 'arn:aws:iam::999999999999:role/x' }).allowed).toBe(true);
  });

  it('refuses a role pattern that is not an IAM role ARN pattern, naming its path', () => {
    const result = teamsConfigSchema.safeParse({
      teams: [{ name: 't', clusters: [{ cluster: '*', namespaces: ['*'], role: 'operator', roles: ['payments-*'] }] }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['teams', 0, 'clusters', 0, 'roles', 0]);
  });
});
