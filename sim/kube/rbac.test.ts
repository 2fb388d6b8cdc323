import { describe, expect, it } from 'vitest';
import { forbidden, ruleAllows, type RequestAttributes } from './rbac';

// The API server's rule matching (pkg/apis/rbac/v1/evaluation_helpers.go), case by case.

const pods = (verb: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({
  resourceRequest: true,
  verb,
  apiGroup: '',
  resource: 'pods',
  namespace: 'payments',
  ...extra,
});

describe('ruleAllows', () => {
  it('matches verbs, groups and resources exactly or by *', () => {
    expect(ruleAllows(pods('list'), { verbs: ['list'], apiGroups: [''], resources: ['pods'] })).toBe(true);
    expect(ruleAllows(pods('watch'), { verbs: ['list'], apiGroups: [''], resources: ['pods'] })).toBe(false);
    expect(ruleAllows(pods('list'), { verbs: ['*'], apiGroups: ['*'], resources: ['*'] })).toBe(true);
    expect(ruleAllows(pods('list'), { verbs: ['list'], apiGroups: ['apps'], resources: ['pods'] })).toBe(false);
    expect(ruleAllows(pods('list'), { verbs: ['list'], resources: ['pods'] })).toBe(false); // no apiGroups = none
  });

  it('treats a subresource as its own resource, matched by name or by */subresource', () => {
    const eviction = pods('create', { subresource: 'eviction', name: 'api-1' });
    expect(ruleAllows(eviction, { verbs: ['create'], apiGroups: [''], resources: ['pods'] })).toBe(false);
    expect(ruleAllows(eviction, { verbs: ['create'], apiGroups: [''], resources: ['pods/eviction'] })).toBe(true);
    expect(ruleAllows(eviction, { verbs: ['create'], apiGroups: [''], resources: ['*/eviction'] })).toBe(true);
    expect(ruleAllows(pods('create'), { verbs: ['create'], apiGroups: [''], resources: ['*/eviction'] })).toBe(false);
  });

  it('limits by resourceNames, which never match a request without a name (list, create)', () => {
    const rule = { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['api-1'] };
    expect(ruleAllows(pods('get', { name: 'api-1' }), rule)).toBe(true);
    expect(ruleAllows(pods('get', { name: 'api-2' }), rule)).toBe(false);
    expect(ruleAllows(pods('list'), rule)).toBe(false);
  });

  it('matches non-resource URLs exactly or by a trailing *', () => {
    const get = (path: string): RequestAttributes => ({ resourceRequest: false, verb: 'get', path });
    const rule = { verbs: ['get'], nonResourceURLs: ['/version', '/apis/*'] };
    expect(ruleAllows(get('/version'), rule)).toBe(true);
    expect(ruleAllows(get('/version/'), rule)).toBe(false);
    expect(ruleAllows(get('/apis/apps/v1'), rule)).toBe(true);
    expect(ruleAllows(get('/metrics'), rule)).toBe(false);
    // A resource rule never allows a path, nor a path rule a resource.
    expect(ruleAllows(get('/version'), { verbs: ['*'], apiGroups: ['*'], resources: ['*'] })).toBe(false);
    expect(ruleAllows(pods('get'), rule)).toBe(false);
  });
});

describe('the 403 text', () => {
  const user = { username: 'system:serviceaccount:ops:console', groups: [] };
  it('names the group-qualified resource, the object, the verb and the scope', () => {
    const error = forbidden(
      user,
      { resourceRequest: true, verb: 'patch', apiGroup: 'apps', resource: 'deployments', namespace: 'payments', name: 'api' },
      '',
    );
    expect(error.message).toBe(
      'deployments.apps "api" is forbidden: User "system:serviceaccount:ops:console" cannot patch resource "deployments" in API group "apps" in the namespace "payments"',
    );
    expect(error.toStatus()).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      details: { name: 'api', group: 'apps', kind: 'deployments' },
    });
    expect(forbidden(user, { resourceRequest: true, verb: 'list', apiGroup: '', resource: 'nodes' }, '').message).toBe(
      'nodes is forbidden: User "system:serviceaccount:ops:console" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(forbidden(user, { resourceRequest: false, verb: 'get', path: '/metrics' }, '').message).toBe(
      'forbidden: User "system:serviceaccount:ops:console" cannot get path "/metrics"',
    );
  });
});
