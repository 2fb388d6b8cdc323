import 'server-only';
import type { ContextEntry } from '@aws-sdk/client-iam';
import type { Scope } from '@/lib/auth/scope';
import { awsSourceError } from '@/lib/aws/errors';
import { simulatePrincipalPolicy, type SimulationResult } from '@/lib/aws/iam';
import { collectCache, readBucketPolicyOnDemand, scopeForAccount } from '@/lib/collect';
import type { FleetState, SourceError } from '@/lib/model/cluster-state';
import {
  accessIndexOf,
  accessSubjectOf,
  bucketOfArn,
  evaluateWorkloadAccess,
  lookUpAccess,
  permissionsViewOf,
  workloadIdentityOf,
  type PermissionsView,
} from '@/lib/identity';
import { apiDecision, evaluateAccess, type AccessQuery, type AccessVerdict } from '@/lib/policy/iam-evaluator';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import { currentFleetView, type SourceErrorSummary } from './queries';

// The permission reads of the pages and the API (api.md "Permissions"), scoped like every other read: an SA
// outside the caller's scope is unknown (null → 404), and the reverse lookup sees only the caller's SAs.

/** A resource asked about whose bucket policy the fleet view has not read: read it now (cached) and use it. */
async function fleetForResource(fleet: FleetState, targets: ClusterTarget[], resource: string): Promise<FleetState> {
  const bucket = bucketOfArn(resource);
  if (!bucket || fleet.bucketPolicies?.[bucket] || fleet.policies === undefined) return fleet;
  const lookup = await readBucketPolicyOnDemand(targets, bucket);
  return { ...fleet, bucketPolicies: { ...fleet.bucketPolicies, [bucket]: lookup } };
}

function verdictJson(verdict: AccessVerdict) {
  return {
    action: verdict.action,
    resource: verdict.resource,
    decision: apiDecision(verdict.decision),
    detail: verdict.decision,
    statements: verdict.statements,
    policies: verdict.policies,
    reasons: verdict.reasons,
    caveats: verdict.caveats,
  };
}

export type VerdictJson = ReturnType<typeof verdictJson>;

function summarize(error: SourceError): SourceErrorSummary {
  return {
    cluster: error.cluster,
    source: error.source,
    operation: error.operation,
    code: error.code,
    message: error.message,
    ...(error.missingPermission ? { missingPermission: error.missingPermission } : {}),
  };
}

export type PermissionsResult = PermissionsView & { check?: VerdictJson; collectedAt: string };

/** GET …/permissions: what the SA's identity may do; with `check`, the verdict on that one request too. */
export async function getServiceAccountPermissions(
  cluster: string,
  namespace: string,
  name: string,
  scope: Scope,
  check?: AccessQuery,
): Promise<PermissionsResult | null> {
  if (!scope.canSeeNamespace(cluster, namespace)) return null;
  const view = await currentFleetView();
  const ctx = accessSubjectOf(view.fleet, cluster, namespace, name);
  if (!ctx) return null;
  const permissions = permissionsViewOf(ctx);
  const workload = workloadIdentityOf(ctx);
  let checked: VerdictJson | undefined;
  if (check && workload.status === 'known') {
    const fleet = await fleetForResource(view.fleet, view.targets, check.resource);
    checked = verdictJson(evaluateWorkloadAccess(fleet, workload.identity, check));
  }
  return { ...permissions, ...(checked ? { check: checked } : {}), collectedAt: view.collectedAt };
}

export interface AccessItem {
  cluster: string;
  namespace: string;
  name: string;
  mechanism: string;
  roleArn: string;
  decision: 'allowed' | 'denied' | 'unknown';
  statements: AccessVerdict['statements'];
  reasons: string[];
}

export interface AccessResult {
  items: AccessItem[];
  /** Service accounts in scope whose identity could not be established, so they could not be judged. */
  unknownIdentities: { cluster: string; namespace: string; name: string; reason: string }[];
  errors: SourceErrorSummary[];
  collectedAt: string;
}

/** GET /api/v1/access: every SA in scope allowed (or explicitly denied, or unknown) to do `query`. */
export async function getAccess(
  query: AccessQuery,
  filters: { cluster?: string; namespace?: string },
  scope: Scope,
): Promise<AccessResult> {
  const view = await currentFleetView();
  const fleet = await fleetForResource(view.fleet, view.targets, query.resource);
  const include = ({ cluster, namespace }: { cluster: string; namespace: string }) =>
    scope.canSeeNamespace(cluster, namespace) &&
    (!filters.cluster || filters.cluster === cluster) &&
    (!filters.namespace || filters.namespace === namespace);
  const answers = lookUpAccess(view.fleet, query, include, fleet);
  const order = { allowed: 0, unknown: 1, denied: 2 } as const;
  const items = answers
    .map((a): AccessItem => ({
      cluster: a.cluster,
      namespace: a.namespace,
      name: a.name,
      mechanism: a.mechanism,
      roleArn: a.roleArn,
      decision: a.decision,
      statements: a.verdict.statements,
      reasons: a.verdict.reasons,
    }))
    .sort(
      (a, b) =>
        order[a.decision] - order[b.decision] ||
        `${a.cluster}/${a.namespace}/${a.name}`.localeCompare(`${b.cluster}/${b.namespace}/${b.name}`),
    );
  const bucket = bucketOfArn(query.resource);
  const lookup = bucket ? fleet.bucketPolicies?.[bucket] : undefined;
  const bucketError = lookup?.status === 'error' && !view.fleet.bucketPolicies?.[bucket!] ? [lookup.error] : [];
  const errors = [...view.errors, ...bucketError].filter((error) => !error.cluster || scope.canSeeCluster(error.cluster)).map(summarize);
  const { unknown } = accessIndexOf(view.fleet);
  return { items, unknownIdentities: unknown.filter(include), errors, collectedAt: view.collectedAt };
}

export interface AskAwsAnswer {
  /** The console's verdict with every policy it read (the resource's policy too). */
  console: VerdictJson;
  /**
   * The console's verdict without the resource's policy: what SimulatePrincipalPolicy can judge for a role
   * (a ResourcePolicy needs a CallerArn, and that may only be an IAM user), so the one compared with AWS.
   */
  compared: VerdictJson;
  aws: {
    decision: 'allowed' | 'denied';
    detail: SimulationResult['decision'];
    matchedStatements: SimulationResult['matchedStatements'];
  } | null;
  /** Why AWS could not be asked (no credentials for the account, AccessDenied on iam:SimulatePrincipalPolicy…). */
  error?: SourceErrorSummary;
  /** Whether AWS and `compared` agree; null when either could not decide. */
  agree: boolean | null;
  /**
   * What was sent, so the user can repeat it with the aws CLI. `sessionPolicy`: the association's session policy,
   * which SimulatePrincipalPolicy cannot take as such (its PolicyInputList adds identity policies, a union): it is
   * asked a second time with the session policy as PermissionsBoundaryPolicyInputList, which intersects like a
   * session policy does for identity-policy grants, and the two answers are combined (both must allow; a Deny in
   * either wins). Two calls, because the boundary parameter replaces the role's own boundary.
   */
  request: { policySourceArn: string; action: string; resource: string; contextEntries: ContextEntry[]; sessionPolicy?: string };
  /** The same question as aws CLI commands (two with a session policy). */
  command: string;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_:/.*@=,+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

function cliCommand(request: AskAwsAnswer['request']): string {
  const parts = [
    'aws iam simulate-principal-policy',
    `--policy-source-arn ${shellQuote(request.policySourceArn)}`,
    `--action-names ${shellQuote(request.action)}`,
    `--resource-arns ${shellQuote(request.resource)}`,
  ];
  if (request.contextEntries.length > 0)
    parts.push(
      `--context-entries ${request.contextEntries
        .map((e) =>
          shellQuote(
            `ContextKeyName=${e.ContextKeyName},ContextKeyValues=${e.ContextKeyValues?.join(',')},ContextKeyType=${e.ContextKeyType}`,
          ),
        )
        .join(' ')}`,
    );
  const command = parts.join(' \\\n  ');
  if (!request.sessionPolicy) return command;
  return [
    command,
    '# the session policy narrows the role like a boundary does; both answers must allow',
    `${command} \\\n  --permissions-boundary-policy-input-list ${shellQuote(request.sessionPolicy)}`,
  ].join('\n');
}

/** Both simulations must allow; an explicit Deny in either wins (the evaluation order of domain.md §1d). */
function combineSimulations(results: SimulationResult[]): SimulationResult {
  const decision = results.some((r) => r.decision === 'explicitDeny')
    ? 'explicitDeny'
    : results.every((r) => r.decision === 'allowed')
      ? 'allowed'
      : 'implicitDeny';
  return { ...results[0], decision, matchedStatements: results.flatMap((r) => r.matchedStatements) };
}

/**
 * "Ask AWS": iam:SimulatePrincipalPolicy for the SA's effective role, with the session's principal tags as
 * context entries and the session policy in PolicyInputList (domain.md §1d), next to the console's verdict.
 * null when the SA is unknown, out of scope, or has no known identity.
 */
export async function askAws(
  cluster: string,
  namespace: string,
  name: string,
  scope: Scope,
  check: AccessQuery,
): Promise<AskAwsAnswer | null> {
  if (!scope.canSeeNamespace(cluster, namespace)) return null;
  const view = await currentFleetView();
  const ctx = accessSubjectOf(view.fleet, cluster, namespace, name);
  if (!ctx) return null;
  const workload = workloadIdentityOf(ctx);
  if (workload.status !== 'known') return null;
  const identity = workload.identity;
  const fleet = await fleetForResource(view.fleet, view.targets, check.resource);
  const consoleVerdict = verdictJson(evaluateWorkloadAccess(fleet, identity, check));
  const compared = verdictJson(evaluateAccess(identity.session, check, null));
  const contextEntries: ContextEntry[] = [
    ...Object.entries(identity.session.principalTags).map(([tag, value]) => ({
      ContextKeyName: `aws:PrincipalTag/${tag}`,
      ContextKeyValues: [value],
      ContextKeyType: 'string' as const,
    })),
    ...Object.entries(check.context ?? {}).map(([key, value]) => ({
      ContextKeyName: key,
      ContextKeyValues: [value].flat(),
      ContextKeyType: 'string' as const,
    })),
  ];
  const sessionPolicy = identity.sessionPolicyText;
  const request = {
    policySourceArn: identity.roleArn,
    action: check.action,
    resource: check.resource,
    contextEntries,
    ...(sessionPolicy ? { sessionPolicy } : {}),
  };
  const base = { console: consoleVerdict, compared, request, command: cliCommand(request) };
  const awsScope = await scopeForAccount(view.targets, identity.session.account);
  if (!awsScope)
    return {
      ...base,
      aws: null,
      agree: null,
      error: {
        source: 'iam',
        operation: 'SimulatePrincipalPolicy',
        code: 'NoCredentialsForAccount',
        message: `the console has no credentials for account ${identity.session.account}`,
      },
    };
  try {
    const result = await collectCache().get(
      'iam:SimulatePrincipalPolicy',
      {
        roleArn: identity.roleArn,
        action: check.action,
        resource: check.resource,
        context: JSON.stringify(contextEntries),
        sessionPolicy: sessionPolicy ?? '',
      },
      async () => {
        const ask = (boundary?: string) =>
          simulatePrincipalPolicy(awsScope, {
            policySourceArn: identity.roleArn,
            action: check.action,
            resource: check.resource,
            context: contextEntries,
            ...(boundary ? { permissionsBoundaryPolicyInputList: [boundary] } : {}),
          });
        return sessionPolicy ? combineSimulations(await Promise.all([ask(), ask(sessionPolicy)])) : ask();
      },
      { pooled: true, ttlMs: 10_000 },
    );
    const aws = {
      decision: result.decision === 'allowed' ? ('allowed' as const) : ('denied' as const),
      detail: result.decision,
      matchedStatements: result.matchedStatements,
    };
    return { ...base, aws, agree: compared.decision === 'unknown' ? null : compared.decision === aws.decision };
  } catch (error) {
    return {
      ...base,
      aws: null,
      agree: null,
      error: summarize(
        awsSourceError(
          {
            source: 'iam',
            operation: 'SimulatePrincipalPolicy',
            action: 'iam:SimulatePrincipalPolicy',
            subject: { roleArn: identity.roleArn },
          },
          error,
        ),
      ),
    };
  }
}
