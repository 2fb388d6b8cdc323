import type { ObjectStore, KubeObj } from './store';
import type { ResourceType } from './resources';
import { KubeError } from './status';

// Kubernetes RBAC as the API server evaluates it (plugin/pkg/auth/authorizer/rbac/rbac.go and
// pkg/apis/rbac/v1/evaluation_helpers.go): a request is allowed when some rule of a role bound to the user or
// one of its groups allows it; there is no deny. ClusterRoleBindings apply everywhere, RoleBindings only in
// their namespace. Written for the simulator alone (it never shares code with the product).

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** What authorization sees of a request (k8s.io/apiserver authorizer.Attributes). */
export interface RequestAttributes {
  verb: string;
  /** Resource requests: */
  resourceRequest: boolean;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests: */
  path?: string;
}

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

interface Binding extends KubeObj {
  roleRef?: { kind?: string; name?: string; apiGroup?: string };
  subjects?: Subject[];
}

interface Role extends KubeObj {
  rules?: PolicyRule[];
}

/** The cluster's admin: system:masters is allowed everything before RBAC is asked (authorizerfactory privileged group). */
export const SYSTEM_MASTERS = 'system:masters';

export function serviceAccountUser(namespace: string, name: string, uid?: string): UserInfo {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    ...(uid ? { uid } : {}),
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

/** "system:serviceaccount:NS:NAME" → [NS, NAME] (k8s.io/apiserver/pkg/authentication/serviceaccount.SplitUsername). */
export function splitServiceAccountUsername(username: string): [string, string] | null {
  const parts = username.split(':');
  if (parts.length !== 4 || parts[0] !== 'system' || parts[1] !== 'serviceaccount' || !parts[2] || !parts[3]) return null;
  return [parts[2], parts[3]];
}

// ---- rule matching (evaluation_helpers.go) ----

const has = (list: string[] | undefined, value: string) => (list ?? []).some((item) => item === '*' || item === value);

function resourceMatches(rule: PolicyRule, combined: string, subresource: string | undefined): boolean {
  for (const ruleResource of rule.resources ?? []) {
    if (ruleResource === '*' || ruleResource === combined) return true;
    // "*/scale" matches the scale subresource of every resource.
    if (subresource && ruleResource === `*/${subresource}`) return true;
  }
  return false;
}

function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  if (!rule.resourceNames || rule.resourceNames.length === 0) return true;
  return !!name && rule.resourceNames.includes(name);
}

function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs ?? []) {
    if (url === '*' || url === path) return true;
    if (url.endsWith('*') && path.startsWith(url.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(attributes: RequestAttributes, rule: PolicyRule): boolean {
  if (!has(rule.verbs, attributes.verb)) return false;
  if (!attributes.resourceRequest) return nonResourceURLMatches(rule, attributes.path ?? '');
  const combined = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : (attributes.resource ?? '');
  return (
    has(rule.apiGroups, attributes.apiGroup ?? '') &&
    resourceMatches(rule, combined, attributes.subresource) &&
    resourceNameMatches(rule, attributes.name)
  );
}

// ---- the bootstrap policy every cluster has (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go) ----

const DISCOVERY_URLS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/openapi',
  '/openapi/*',
  '/readyz',
  '/version',
  '/version/',
];

/** Bootstrap ClusterRoles and their bindings, created at load unless the scenario gives objects of those names. */
export function bootstrapRbacObjects(): KubeObj[] {
  const labels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
  const annotations = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
  const role = (name: string, rules: PolicyRule[]): KubeObj => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels, annotations },
    rules,
  });
  const binding = (name: string, groups: string[]): KubeObj => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, labels, annotations },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: groups.map((group) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group })),
  });
  return [
    role('cluster-admin', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]),
    binding('cluster-admin', [SYSTEM_MASTERS]),
    role('system:discovery', [{ nonResourceURLs: DISCOVERY_URLS, verbs: ['get'] }]),
    binding('system:discovery', ['system:authenticated']),
    role('system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
    binding('system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
    role('system:basic-user', [
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ]),
    binding('system:basic-user', ['system:authenticated']),
  ];
}

// ---- evaluation ----

export interface RbacTypes {
  roles: ResourceType;
  roleBindings: ResourceType;
  clusterRoles: ResourceType;
  clusterRoleBindings: ResourceType;
}

function appliesTo(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  if (subject.kind === 'User') return subject.name === user.username;
  if (subject.kind === 'Group') return user.groups.includes(subject.name);
  if (subject.kind === 'ServiceAccount') {
    const namespace = subject.namespace || bindingNamespace;
    return !!namespace && user.username === `system:serviceaccount:${namespace}:${subject.name}`;
  }
  return false;
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount')
    return `${subject.kind} ${JSON.stringify(`${subject.name}/${subject.namespace || bindingNamespace}`)}`;
  return `${subject.kind} ${JSON.stringify(subject.name)}`;
}

interface RuleSource {
  describe: string;
  rules: PolicyRule[];
}

export class RbacAuthorizer {
  constructor(
    private readonly store: ObjectStore,
    private readonly types: RbacTypes,
  ) {}

  private roleRules(roleRef: Binding['roleRef'], bindingNamespace: string): { rules: PolicyRule[]; error?: string } {
    const name = roleRef?.name ?? '';
    if (roleRef?.kind === 'ClusterRole') {
      const role = this.store.get(this.types.clusterRoles, undefined, name) as Role | undefined;
      if (!role) return { rules: [], error: `clusterrole.rbac.authorization.k8s.io ${JSON.stringify(name)} not found` };
      return { rules: this.aggregated(role) };
    }
    if (roleRef?.kind === 'Role') {
      const role = this.store.get(this.types.roles, bindingNamespace, name) as Role | undefined;
      if (!role) return { rules: [], error: `role.rbac.authorization.k8s.io ${JSON.stringify(name)} not found` };
      return { rules: role.rules ?? [] };
    }
    return { rules: [], error: `unsupported role reference kind: ${JSON.stringify(roleRef?.kind ?? '')}` };
  }

  /** A ClusterRole with an aggregationRule has the rules of every ClusterRole its selectors pick (clusterroleaggregation controller). */
  private aggregated(role: Role): PolicyRule[] {
    const aggregation = (role as { aggregationRule?: { clusterRoleSelectors?: { matchLabels?: Record<string, string> }[] } })
      .aggregationRule;
    if (!aggregation?.clusterRoleSelectors?.length) return role.rules ?? [];
    const rules: PolicyRule[] = [];
    for (const { object } of this.store.list(this.types.clusterRoles)) {
      if (object.metadata.name === role.metadata.name) continue;
      const labels = (object.metadata.labels ?? {}) as Record<string, string>;
      const picked = aggregation.clusterRoleSelectors.some((selector) =>
        Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value),
      );
      if (picked) rules.push(...((object as Role).rules ?? []));
    }
    return rules;
  }

  /** Visits every rule that applies to the user in the namespace (cluster bindings first), as rbac.go VisitRulesFor does. */
  private visit(user: UserInfo, namespace: string | undefined, visitor: (source: RuleSource | null, error?: string) => boolean) {
    for (const { object } of this.store.list(this.types.clusterRoleBindings)) {
      const binding = object as Binding;
      const subject = (binding.subjects ?? []).find((s) => appliesTo(s, user, ''));
      if (!subject) continue;
      const { rules, error } = this.roleRules(binding.roleRef, '');
      if (error && !visitor(null, error)) return;
      const describe = `ClusterRoleBinding ${JSON.stringify(binding.metadata.name)} of ClusterRole ${JSON.stringify(binding.roleRef?.name ?? '')} to ${describeSubject(subject, '')}`;
      if (!visitor({ describe, rules })) return;
    }
    if (!namespace) return;
    for (const { object } of this.store.list(this.types.roleBindings, namespace)) {
      const binding = object as Binding;
      const subject = (binding.subjects ?? []).find((s) => appliesTo(s, user, namespace));
      if (!subject) continue;
      const { rules, error } = this.roleRules(binding.roleRef, namespace);
      if (error && !visitor(null, error)) return;
      const describe = `RoleBinding ${JSON.stringify(`${binding.metadata.name}/${namespace}`)} of ${binding.roleRef?.kind ?? ''} ${JSON.stringify(binding.roleRef?.name ?? '')} to ${describeSubject(subject, namespace)}`;
      if (!visitor({ describe, rules })) return;
    }
  }

  authorize(user: UserInfo, attributes: RequestAttributes): { allowed: boolean; reason: string } {
    if (user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
    let reason = '';
    const errors: string[] = [];
    let allowed = false;
    this.visit(user, attributes.resourceRequest ? attributes.namespace : undefined, (source, error) => {
      if (error) {
        errors.push(error);
        return true;
      }
      const rule = source!.rules.find((candidate) => ruleAllows(attributes, candidate));
      if (!rule) return true;
      allowed = true;
      reason = `RBAC: allowed by ${source!.describe}`;
      return false;
    });
    if (allowed) return { allowed, reason };
    return { allowed: false, reason: errors.length ? `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}` : '' };
  }

  /** Every rule that applies to the user in a namespace (SelfSubjectRulesReview), and the errors met on the way. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    if (user.groups.includes(SYSTEM_MASTERS)) {
      rules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] });
    }
    this.visit(user, namespace, (source, error) => {
      if (error) errors.push(error);
      else rules.push(...source!.rules);
      return true;
    });
    return { rules, errors };
  }
}

// ---- the 403 (k8s.io/apiserver endpoints/handlers/responsewriters/errors.go forbiddenMessage + apierrors.NewForbidden) ----

export function forbidden(user: UserInfo, attributes: RequestAttributes, reason: string): KubeError {
  let message: string;
  if (!attributes.resourceRequest) {
    message = `User ${JSON.stringify(user.username)} cannot ${attributes.verb} path ${JSON.stringify(attributes.path ?? '')}`;
  } else {
    const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
    message = attributes.namespace
      ? `User ${JSON.stringify(user.username)} cannot ${attributes.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.apiGroup ?? '')} in the namespace ${JSON.stringify(attributes.namespace)}`
      : `User ${JSON.stringify(user.username)} cannot ${attributes.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.apiGroup ?? '')} at the cluster scope`;
  }
  if (reason) message = `${message}: ${reason}`;
  if (!attributes.resourceRequest) return new KubeError(403, 'Forbidden', `forbidden: ${message}`, {});
  const qualified = attributes.apiGroup ? `${attributes.resource}.${attributes.apiGroup}` : (attributes.resource ?? '');
  return new KubeError(
    403,
    'Forbidden',
    attributes.name ? `${qualified} ${JSON.stringify(attributes.name)} is forbidden: ${message}` : `${qualified} is forbidden: ${message}`,
    {
      ...(attributes.name ? { name: attributes.name } : {}),
      ...(attributes.apiGroup ? { group: attributes.apiGroup } : {}),
      kind: attributes.resource,
    },
  );
}
