import 'server-only';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import { kubeRequest } from './client';

// Who the console is in a cluster and what it may do there, as the API server itself answers: SelfSubjectReview
// (authentication.k8s.io/v1, Kubernetes ≥ 1.28) and SelfSubjectRulesReview (authorization.k8s.io/v1). Both
// are allowed to every authenticated user (system:basic-user).

export interface KubeUserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface RulesInNamespace {
  namespace: string;
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  /** The API server could not list every rule (an authorizer other than RBAC, such as a webhook, also decides). */
  incomplete: boolean;
  evaluationError?: string;
}

export async function selfSubjectReview(target: ClusterTarget): Promise<KubeUserInfo> {
  const review = await kubeRequest<{ status?: { userInfo?: Partial<KubeUserInfo> } }>(
    target,
    '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
  );
  const user = review.status?.userInfo ?? {};
  return {
    username: user.username ?? '',
    ...(user.uid ? { uid: user.uid } : {}),
    groups: user.groups ?? [],
    ...(user.extra ? { extra: user.extra } : {}),
  };
}

export async function selfSubjectRules(target: ClusterTarget, namespace: string): Promise<RulesInNamespace> {
  const review = await kubeRequest<{
    status?: { resourceRules?: ResourceRule[]; nonResourceRules?: NonResourceRule[]; incomplete?: boolean; evaluationError?: string };
  }>(target, '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
    method: 'POST',
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
  });
  const status = review.status ?? {};
  return {
    namespace,
    resourceRules: status.resourceRules ?? [],
    nonResourceRules: status.nonResourceRules ?? [],
    incomplete: status.incomplete ?? false,
    ...(status.evaluationError ? { evaluationError: status.evaluationError } : {}),
  };
}
