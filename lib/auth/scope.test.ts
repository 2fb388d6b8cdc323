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
