import type { FleetState, PolicyDocument, RolePolicies } from '@/lib/model/cluster-state';
import {
  evaluateAccess,
  sessionIdentity,
  type AccessQuery,
  type AccessVerdict,
  type PolicySource,
  type ResourcePolicy,
  type SessionIdentity,
} from '@/lib/policy/iam-evaluator';
import { asArray, policyStatements } from '@/lib/policy/policy-document';
import type { ServiceAccountContext } from './identity-context';

// The session a service account's pods act with (domain.md §1d), from the collected policies: the Pod Identity
// association's target role (else its role) with the EKS session tags unless disableSessionTags, and its
// session `policy`; else the IRSA role (no session tags). New pods of an SA with both get Pod Identity only
// (ID001: the webhook rule), so the association decides.

export interface WorkloadIdentity {
  mechanism: 'pod-identity' | 'irsa';
  roleArn: string;
  /** The association's role when a target role is chained into (the session is the target role's). */
  sourceRoleArn?: string;
  sessionTags: boolean;
  /** The association's session policy as EKS holds it (JSON text). */
  sessionPolicyText?: string;
  session: SessionIdentity;
  /** The policies as the API shows them. */
  policies: PolicySource[];
}

export type WorkloadIdentityResult =
  { status: 'known'; identity: WorkloadIdentity } | { status: 'none' } | { status: 'unknown'; reason: string };

/** Parses an association's `policy`; null with the reason when it is not a JSON policy document. */
export function parseSessionPolicy(text: string): { document: PolicyDocument } | { error: string } {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'the session policy is not a JSON object' };
    return { document: { ...(parsed as PolicyDocument), Statement: (parsed as PolicyDocument).Statement ?? [] } };
  } catch (error) {
    return { error: `the session policy is not valid JSON: ${(error as Error).message}` };
  }
}

function policySources(policies: RolePolicies | undefined): {
  identity: PolicySource[] | null;
  boundary?: PolicySource | null;
  unreadable: string[];
} {
  if (!policies) return { identity: null, unreadable: ["the role's policies were not read"] };
  const unreadable = policies.errors.map(
    (e) => `${e.operation} failed: ${e.code}${e.missingPermission ? ` (the console lacks ${e.missingPermission})` : ''}`,
  );
  const identity =
    policies.inline && policies.managed
      ? [
          ...policies.inline.map((p): PolicySource => ({ kind: 'inline', name: p.name, document: p.document })),
          ...policies.managed.map((p): PolicySource => ({
            kind: 'managed',
            name: p.name,
            arn: p.arn,
            versionId: p.versionId,
            document: p.document,
          })),
        ]
      : null;
  const boundary =
    policies.boundary === undefined
      ? undefined
      : policies.boundary === null
        ? null
        : ({
            kind: 'boundary',
            name: policies.boundary.name,
            arn: policies.boundary.arn,
            versionId: policies.boundary.versionId,
            document: policies.boundary.document,
          } satisfies PolicySource);
  return { identity, ...(boundary !== undefined ? { boundary } : {}), unreadable };
}

// PM001–PM003 and the pages ask for the same SA's identity: built once per context.
const identityByContext = new WeakMap<ServiceAccountContext, WorkloadIdentityResult>();

export function workloadIdentityOf(ctx: ServiceAccountContext): WorkloadIdentityResult {
  let result = identityByContext.get(ctx);
  if (!result) identityByContext.set(ctx, (result = buildWorkloadIdentity(ctx)));
  return result;
}

function buildWorkloadIdentity(ctx: ServiceAccountContext): WorkloadIdentityResult {
  const fleet = ctx.fleet;
  const association = ctx.association;
  if (association) {
    if (!association.roleArn) return { status: 'unknown', reason: 'the association could not be described, so its role is unknown' };
    const roleArn = association.targetRoleArn ?? association.roleArn;
    const role = fleet.roles[roleArn];
    if (role?.status === 'missing') return { status: 'unknown', reason: `the role ${roleArn} does not exist (PI001)` };
    const { identity, boundary, unreadable } = policySources(fleet.policies?.[roleArn]);
    const sessionTags = association.disableSessionTags !== true;
    let sessionPolicy: PolicyDocument | undefined;
    if (association.policy) {
      const parsed = parseSessionPolicy(association.policy);
      if ('error' in parsed) return { status: 'unknown', reason: parsed.error };
      sessionPolicy = parsed.document;
    }
    const cluster = ctx.cluster.eks;
    if (sessionTags && !cluster) unreadable.push('the cluster could not be described, so the eks-cluster-* session tags are unknown');
    const session = sessionIdentity({
      roleArn,
      identityPolicies: identity,
      ...(boundary !== undefined ? { boundary } : {}),
      ...(sessionPolicy ? { sessionPolicy } : {}),
      roleTags: role?.status === 'found' ? (role.role.tags ?? {}) : {},
      ...(sessionTags && cluster
        ? { sessionTags: { clusterArn: cluster.arn, clusterName: cluster.name, namespace: ctx.namespace, serviceAccount: ctx.name } }
        : {}),
      unreadable,
    });
    return {
      status: 'known',
      identity: {
        mechanism: 'pod-identity',
        roleArn,
        ...(association.targetRoleArn ? { sourceRoleArn: association.roleArn } : {}),
        sessionTags,
        ...(association.policy ? { sessionPolicyText: association.policy } : {}),
        session,
        policies: [...(identity ?? []), ...(boundary ? [boundary] : []), ...session.sessionPolicies],
      },
    };
  }
  if (ctx.irsa?.roleArnParts) {
    const roleArn = ctx.irsa.roleArn;
    const role = fleet.roles[roleArn];
    if (role?.status === 'missing') return { status: 'unknown', reason: `the role ${roleArn} does not exist (IR002)` };
    const { identity, boundary, unreadable } = policySources(fleet.policies?.[roleArn]);
    const session = sessionIdentity({
      roleArn,
      identityPolicies: identity,
      ...(boundary !== undefined ? { boundary } : {}),
      roleTags: role?.status === 'found' ? (role.role.tags ?? {}) : {},
      unreadable,
    });
    return {
      status: 'known',
      identity: {
        mechanism: 'irsa',
        roleArn,
        sessionTags: false,
        session,
        policies: [...(identity ?? []), ...(boundary ? [boundary] : [])],
      },
    };
  }
  return { status: 'none' };
}

/** The bucket named by an S3 ARN (arn:aws:s3:::bucket or arn:aws:s3:::bucket/key). */
export function bucketOfArn(arn: string): string | null {
  const m = /^arn:[^:]+:s3:::([^/]+)/.exec(arn);
  return m ? m[1] : null;
}

/** The resource's policy when the console read one (S3 bucket policies). */
export function resourcePolicyFor(fleet: FleetState, resource: string): ResourcePolicy | null | 'unreadable' {
  const bucket = bucketOfArn(resource);
  if (!bucket) return null;
  const lookup = fleet.bucketPolicies?.[bucket];
  if (!lookup) return null;
  if (lookup.status === 'error') return 'unreadable';
  if (!lookup.policy)
    return lookup.account
      ? { source: { kind: 'resource', name: `bucket policy of ${bucket} (none)`, document: { Statement: [] } }, account: lookup.account }
      : null;
  return { source: { kind: 'resource', name: `bucket policy of ${bucket}`, document: lookup.policy }, account: lookup.account };
}

/** May this workload identity do `query`? The resource's policy takes part when the console read it. */
export function evaluateWorkloadAccess(fleet: FleetState, identity: WorkloadIdentity, query: AccessQuery): AccessVerdict {
  const resource = resourcePolicyFor(fleet, query.resource);
  if (resource === 'unreadable') {
    const verdict = evaluateAccess(identity.session, query, null);
    // Without the bucket policy an explicit Deny there is possible: only a Deny we can see is certain.
    if (verdict.decision === 'explicit-deny') return verdict;
    return {
      ...verdict,
      decision: 'unknown',
      reasons: [...verdict.reasons, `the bucket policy of ${bucketOfArn(query.resource)} could not be read`],
    };
  }
  return evaluateAccess(identity.session, query, resource);
}

/** Every statement (with its policy) of the identity's own policies: for PM002's scan of tag tests. */
export function identityStatements(identity: WorkloadIdentity) {
  return identity.policies
    .filter((p) => p.kind !== 'boundary')
    .flatMap((policy) => policyStatements(policy.document).map((statement, index) => ({ policy, statement, index })));
}

export { asArray };
