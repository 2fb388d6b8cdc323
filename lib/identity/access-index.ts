import type { FleetState } from '@/lib/model/cluster-state';
import { apiDecision, type AccessQuery, type AccessVerdict, type PolicySource } from '@/lib/policy/iam-evaluator';
import { asArray, policyStatements } from '@/lib/policy/policy-document';
import { compileWildcard, type WildcardPattern } from '@/lib/policy/wildcard';
import { buildClusterContext, buildServiceAccountContext, serviceAccountKeys, type ServiceAccountContext } from './identity-context';
import { evaluateWorkloadAccess, resourcePolicyFor, workloadIdentityOf, type WorkloadIdentity } from './permissions';

// The fleet-wide reverse lookup ("who can do this action on this resource", api.md GET /api/v1/access): every
// service account's workload identity, built once per collected fleet and kept in memory, so a question is
// only the evaluation of each identity's policies (no I/O, no context building).

export interface AccessSubject {
  cluster: string;
  namespace: string;
  name: string;
  identity: WorkloadIdentity;
  context: ServiceAccountContext;
  /**
   * Every statement of the session's policies (identity, boundary, session) as its Action and Resource patterns
   * (resources null when any resource could match: no Resource, NotResource, or a policy variable), so a question
   * no statement can match is answered "implicit deny" without evaluating; null when that shortcut is unsafe (a
   * policy could not be read, or a statement uses NotAction).
   */
  statementPatterns: { actions: WildcardPattern[]; resources: WildcardPattern[] | null }[] | null;
}

export interface AccessIndex {
  subjects: AccessSubject[];
  /**
   * The subjects (their positions in `subjects`) whose statements name an action of a service, by the lower-cased
   * service prefix; `anyService`: those with a wildcard in the service part, or no usable patterns. A question
   * about `s3:PutObject` looks only at `byService.s3` and `anyService`, not at every identity of the fleet.
   */
  byService: Map<string, number[]>;
  anyService: number[];
  /** Service accounts whose identity is unknown (an undescribed association, a missing role…), with why. */
  unknown: { cluster: string; namespace: string; name: string; reason: string }[];
}

const indexes = new WeakMap<FleetState, AccessIndex>();

export function accessIndexOf(fleet: FleetState): AccessIndex {
  let index = indexes.get(fleet);
  if (index) return index;
  index = { subjects: [], unknown: [], byService: new Map(), anyService: [] };
  for (const state of fleet.clusters) {
    const cluster = buildClusterContext(fleet, state);
    for (const { namespace, name } of serviceAccountKeys(cluster)) {
      const context = buildServiceAccountContext(cluster, namespace, name);
      const workload = workloadIdentityOf(context);
      if (workload.status === 'known') {
        const position = index.subjects.length;
        index.subjects.push({
          cluster: state.name,
          namespace,
          name,
          identity: workload.identity,
          context,
          statementPatterns: statementPatternsOf(workload.identity),
        });
        const services = servicesOf(workload.identity);
        if (services === null) index.anyService.push(position);
        else
          for (const service of services) {
            const list = index.byService.get(service);
            if (list) list.push(position);
            else index.byService.set(service, [position]);
          }
      } else if (workload.status === 'unknown') index.unknown.push({ cluster: state.name, namespace, name, reason: workload.reason });
    }
  }
  indexes.set(fleet, index);
  return index;
}

function statementPatternsOf(identity: WorkloadIdentity): AccessSubject['statementPatterns'] {
  const session = identity.session;
  if (session.identityPolicies === null || session.boundary === null) return null;
  const policies: PolicySource[] = [
    ...session.identityPolicies,
    ...(session.boundary ? [session.boundary] : []),
    ...session.sessionPolicies,
  ];
  const out: NonNullable<AccessSubject['statementPatterns']> = [];
  for (const policy of policies)
    for (const statement of policyStatements(policy.document)) {
      if (statement.NotAction !== undefined || statement.Action === undefined) return null;
      const resources = statement.Resource === undefined ? null : asArray(statement.Resource);
      out.push({
        actions: asArray(statement.Action).map((pattern) => compileWildcard(pattern, true)),
        resources: resources && !resources.some((r) => r.includes('${')) ? resources.map((r) => compileWildcard(r)) : null,
      });
    }
  return out;
}

/**
 * The lower-cased service prefixes the session's Allow and Deny statements name (`s3` of `s3:Get*`); null when
 * any could match every service (a `*` or `?` in the service part, NotAction, an unreadable policy).
 */
function servicesOf(identity: WorkloadIdentity): Set<string> | null {
  const session = identity.session;
  if (session.identityPolicies === null || session.boundary === null) return null;
  const services = new Set<string>();
  for (const policy of [...session.identityPolicies, ...(session.boundary ? [session.boundary] : []), ...session.sessionPolicies])
    for (const statement of policyStatements(policy.document)) {
      if (statement.NotAction !== undefined || statement.Action === undefined) return null;
      for (const action of asArray(statement.Action)) {
        const service = action.split(':')[0].toLowerCase();
        if (!action.includes(':') || /[*?]/.test(service)) return null;
        services.add(service);
      }
    }
  return services;
}

/** Positions of the subjects a question about `action` can concern, in index order. */
function candidatesFor(index: AccessIndex, action: string): number[] {
  const service = action.split(':')[0].toLowerCase();
  const named = index.byService.get(service) ?? [];
  if (index.anyService.length === 0) return named;
  return [...named, ...index.anyService].sort((a, b) => a - b);
}

/** Whether some statement could apply to the request (Action matches, case-insensitively; Resource matches). */
function someStatementMayApply(patterns: NonNullable<AccessSubject['statementPatterns']>, query: AccessQuery): boolean {
  return patterns.some(
    (s) => s.actions.some((p) => p.matches(query.action)) && (s.resources === null || s.resources.some((r) => r.matches(query.resource))),
  );
}

const matchesAny = (patterns: string[], action: string) => patterns.some((pattern) => compileWildcard(pattern, true).matches(action));

export interface AccessAnswer {
  cluster: string;
  namespace: string;
  name: string;
  mechanism: WorkloadIdentity['mechanism'];
  roleArn: string;
  decision: 'allowed' | 'denied' | 'unknown';
  verdict: AccessVerdict;
}

/** Every subject (passing `include`) whose identity is allowed, explicitly denied, or unknown for `query`. */
export function lookUpAccess(
  fleet: FleetState,
  query: AccessQuery,
  include: (subject: { cluster: string; namespace: string }) => boolean,
  evaluationFleet: FleetState = fleet,
): AccessAnswer[] {
  const out: AccessAnswer[] = [];
  // A resource policy with a statement about this action may grant it to any principal: then every subject is judged.
  const resourcePolicy = resourcePolicyFor(evaluationFleet, query.resource);
  const resourceMayDecide =
    resourcePolicy === 'unreadable' ||
    (resourcePolicy !== null &&
      policyStatements(resourcePolicy.source.document).some(
        (s) => s.NotAction !== undefined || matchesAny(asArray(s.Action), query.action),
      ));
  const index = accessIndexOf(fleet);
  // A resource policy that may decide needs every subject judged; otherwise only those naming the action's service.
  const positions = resourceMayDecide ? index.subjects.map((_, i) => i) : candidatesFor(index, query.action);
  for (const position of positions) {
    const subject = index.subjects[position];
    if (!include(subject)) continue;
    // No statement can apply to the request: an implicit deny, which the answer leaves out.
    if (!resourceMayDecide && subject.statementPatterns && !someStatementMayApply(subject.statementPatterns, query)) continue;
    const verdict = evaluateWorkloadAccess(evaluationFleet, subject.identity, query);
    if (verdict.decision === 'implicit-deny') continue;
    out.push({
      cluster: subject.cluster,
      namespace: subject.namespace,
      name: subject.name,
      mechanism: subject.identity.mechanism,
      roleArn: subject.identity.roleArn,
      decision: apiDecision(verdict.decision),
      verdict,
    });
  }
  return out;
}

/** One service account's context from the index (the SA page's "Can it…?"), or null. */
export function accessSubjectOf(fleet: FleetState, cluster: string, namespace: string, name: string): ServiceAccountContext | null {
  const state = fleet.clusters.find((c) => c.name === cluster);
  if (!state) return null;
  const ctx = buildServiceAccountContext(buildClusterContext(fleet, state), namespace, name);
  return ctx.exists === false && !ctx.association ? null : ctx;
}
