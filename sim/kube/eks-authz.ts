import type { SimAccessEntry } from '../world';
import { accessPolicyByArn } from './access-policies';
import type { KubeCluster } from './cluster';
import { accessEntryFor } from './eks-authn';
import { ruleAllows, type PolicyRule, type RequestAttributes, type UserInfo } from './rbac';

// Authorization of an EKS access entry's user (EKS user guide, access-policies): each associated access policy
// grants its rules cluster-wide (scope "cluster", like a ClusterRoleBinding) or in the namespaces of its scope
// (scope "namespace", like a RoleBinding in each; a trailing * matches a prefix). EKS runs its API server with
// --authorization-mode=Node,RBAC,Webhook: RBAC authorizes the entry's kubernetesGroups (and system:authenticated)
// first, and the access policies are the webhook asked when RBAC has no opinion; the user gets the union
// (EKS API reference, CreateAccessEntry kubernetesGroups: "all permissions assigned in the associated access
// policies and all permissions in any Kubernetes Role or ClusterRole objects that the group names are bound to").

/** The extra of a user authenticated by an EKS token, as aws-iam-authenticator sets it. */
export const CANONICAL_ARN_EXTRA = 'canonicalArn';

function namespaceInScope(namespaces: string[], namespace: string): boolean {
  return namespaces.some((pattern) => (pattern.endsWith('*') ? namespace.startsWith(pattern.slice(0, -1)) : pattern === namespace));
}

/** The access policy of the entry that allows the request, if one does. */
export function accessPoliciesAllow(entry: SimAccessEntry, attributes: RequestAttributes): string | undefined {
  for (const association of entry.accessPolicies.values()) {
    const policy = accessPolicyByArn(association.policyArn);
    if (!policy) continue;
    if (association.accessScope.type === 'namespace') {
      if (!attributes.resourceRequest || !attributes.namespace) continue;
      if (!namespaceInScope(association.accessScope.namespaces, attributes.namespace)) continue;
    }
    if (policy.rules.some((rule) => ruleAllows(attributes, rule))) return policy.name;
  }
  return undefined;
}

/** The access entry behind a user: only a user authenticated by an EKS token (not one impersonated) has one. */
function entryOf(cluster: KubeCluster, user: UserInfo): SimAccessEntry | undefined {
  const canonicalArn = user.extra?.[CANONICAL_ARN_EXTRA]?.[0];
  const eks = cluster.eks;
  if (!canonicalArn || !eks) return undefined;
  return accessEntryFor(eks, { canonicalArn });
}

/** The API server's decision: RBAC first, then the access entry's policies. */
export function authorize(cluster: KubeCluster, user: UserInfo, attributes: RequestAttributes): { allowed: boolean; reason: string } {
  const rbac = cluster.rbac.authorize(user, attributes);
  if (rbac.allowed) return rbac;
  const entry = entryOf(cluster, user);
  const policy = entry ? accessPoliciesAllow(entry, attributes) : undefined;
  if (policy) return { allowed: true, reason: `EKS access policy ${policy} of access entry ${entry!.principalArn}` };
  return rbac;
}

/** SelfSubjectRulesReview: the access policies that apply in the namespace, then RBAC's rules. */
export function rulesFor(cluster: KubeCluster, user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
  const fromRbac = cluster.rbac.rulesFor(user, namespace);
  const entry = entryOf(cluster, user);
  if (!entry) return fromRbac;
  const rules: PolicyRule[] = [];
  for (const association of entry.accessPolicies.values()) {
    const scoped = association.accessScope.type === 'namespace';
    if (scoped && !(namespace && namespaceInScope(association.accessScope.namespaces, namespace))) continue;
    for (const rule of accessPolicyByArn(association.policyArn)?.rules ?? []) if (!(scoped && rule.nonResourceURLs)) rules.push(rule);
  }
  return { rules: [...rules, ...fromRbac.rules], errors: fromRbac.errors };
}
