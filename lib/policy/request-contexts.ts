import type { RequestContext, KeyAvailability } from './policy-evaluator';
import { accountOfArn } from '@/lib/model/arn';

// The request contexts that STS sees for the three ways our workloads assume roles. Each key's presence
// is a domain fact; the comments name the source.

export const POD_IDENTITY_SERVICE_PRINCIPAL = 'pods.eks.amazonaws.com';

/**
 * Keys that are never in the request when a service principal calls STS: a service principal is not an
 * IAM principal of any account or organization (IAM global condition keys reference, aws:PrincipalOrgID /
 * aws:PrincipalAccount "not included for service principals"; seed article on Restate + Pod Identity).
 */
export const KEYS_ABSENT_FOR_SERVICE_PRINCIPALS: string[] = [
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'aws:PrincipalTag/',
  'aws:userid',
  'aws:username',
];

/** The six session tags EKS Pod Identity passes (AUG pod-id-abac). */
export const POD_IDENTITY_SESSION_TAGS = [
  'eks-cluster-arn',
  'eks-cluster-name',
  'kubernetes-namespace',
  'kubernetes-service-account',
  'kubernetes-pod-name',
  'kubernetes-pod-uid',
] as const;

export interface PodIdentityRequest {
  action: string;
  clusterArn: string;
  clusterName: string;
  clusterAccount: string;
  /** Omit to ask "for some service account of this cluster" (PI008): tag conditions on it become unknown. */
  namespace?: string;
  serviceAccount?: string;
  disableSessionTags?: boolean;
}

/** What EKS Auth presents when the agent asks for a pod's credentials (AUG pod-id-how-it-works, pod-id-abac). */
export function podIdentityRequestContext(req: PodIdentityRequest): RequestContext {
  const keys: Record<string, string | string[]> = {
    'aws:SourceAccount': req.clusterAccount,
    'aws:SourceArn': req.clusterArn,
    'aws:PrincipalServiceName': POD_IDENTITY_SERVICE_PRINCIPAL,
    'aws:PrincipalIsAWSService': 'true',
  };
  const availability: KeyAvailability[] = KEYS_ABSENT_FOR_SERVICE_PRINCIPALS.map((pattern) => ({
    pattern,
    availability: 'absent',
    note: `never present for ${POD_IDENTITY_SERVICE_PRINCIPAL}, a service principal`,
  }));
  if (req.disableSessionTags) {
    availability.push(
      { pattern: 'aws:RequestTag/', availability: 'absent', note: 'session tags are disabled on the association (disableSessionTags)' },
      { pattern: 'aws:TagKeys', availability: 'absent', note: 'session tags are disabled on the association (disableSessionTags)' },
    );
  } else {
    keys['aws:RequestTag/eks-cluster-arn'] = req.clusterArn;
    keys['aws:RequestTag/eks-cluster-name'] = req.clusterName;
    if (req.namespace !== undefined) keys['aws:RequestTag/kubernetes-namespace'] = req.namespace;
    if (req.serviceAccount !== undefined) keys['aws:RequestTag/kubernetes-service-account'] = req.serviceAccount;
    keys['aws:TagKeys'] = [...POD_IDENTITY_SESSION_TAGS];
    const perPod = 'differs per pod (set by EKS at credential time)';
    availability.push(
      { pattern: 'aws:RequestTag/kubernetes-pod-name', availability: 'unknown', note: `kubernetes-pod-name ${perPod}` },
      { pattern: 'aws:RequestTag/kubernetes-pod-uid', availability: 'unknown', note: `kubernetes-pod-uid ${perPod}` },
      { pattern: 'aws:RequestTag/kubernetes-namespace', availability: 'unknown', note: 'any namespace of the cluster' },
      { pattern: 'aws:RequestTag/kubernetes-service-account', availability: 'unknown', note: 'any service account of the cluster' },
      { pattern: 'aws:RequestTag/', availability: 'absent', note: 'EKS Pod Identity passes only its six session tags' },
    );
  }
  return {
    principal: { service: POD_IDENTITY_SERVICE_PRINCIPAL },
    action: req.action,
    keys,
    keyAvailability: availability,
    otherKeys: 'unknown',
  };
}

export interface WebIdentityRequest {
  action: string;
  /** Issuer host+path, no scheme, e.g. oidc.eks.us-east-1.amazonaws.com/id/ABC. */
  issuer: string;
  providerArn: string;
  namespace: string;
  serviceAccount: string;
  audience: string;
}

/** What STS sees for AssumeRoleWithWebIdentity with a projected SA token (AUG iam-roles-for-service-accounts). */
export function webIdentityRequestContext(req: WebIdentityRequest): RequestContext {
  return {
    principal: { federated: req.providerArn },
    action: req.action,
    keys: {
      [`${req.issuer}:sub`]: `system:serviceaccount:${req.namespace}:${req.serviceAccount}`,
      [`${req.issuer}:aud`]: req.audience,
      'aws:FederatedProvider': req.providerArn,
    },
    keyAvailability: KEYS_ABSENT_FOR_SERVICE_PRINCIPALS.map((pattern) => ({
      pattern,
      availability: 'absent' as const,
      note: 'not present for a web-identity federated principal',
    })),
    otherKeys: 'unknown',
  };
}

export interface RoleChainRequest {
  action: string;
  sourceRoleArn: string;
  externalId?: string;
  /** The Pod Identity tags that follow into the chained session (absent when disableSessionTags). */
  sessionTags?: Record<string, string>;
}

/** EKS chains from the association's role into targetRoleArn with AssumeRole (AUG pod-id-assign-target-role). */
export function roleChainRequestContext(req: RoleChainRequest): RequestContext {
  const account = accountOfArn(req.sourceRoleArn);
  const keys: Record<string, string | string[]> = { 'aws:PrincipalArn': req.sourceRoleArn };
  if (account) keys['aws:PrincipalAccount'] = account;
  if (req.externalId) keys['sts:ExternalId'] = req.externalId;
  const availability: KeyAvailability[] = [];
  if (!req.externalId)
    availability.push({ pattern: 'sts:ExternalId', availability: 'absent', note: 'the association carries no externalId' });
  if (req.sessionTags) {
    for (const [k, v] of Object.entries(req.sessionTags)) keys[`aws:RequestTag/${k}`] = v;
    keys['aws:TagKeys'] = Object.keys(req.sessionTags);
  } else {
    availability.push({ pattern: 'aws:RequestTag/', availability: 'absent', note: 'session tags are disabled on the association' });
  }
  availability.push({ pattern: 'aws:RequestTag/kubernetes-pod-name', availability: 'unknown', note: 'differs per pod' });
  availability.push({ pattern: 'aws:RequestTag/kubernetes-pod-uid', availability: 'unknown', note: 'differs per pod' });
  return { principal: { aws: req.sourceRoleArn }, action: req.action, keys, keyAvailability: availability, otherKeys: 'unknown' };
}
