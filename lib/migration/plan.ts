import { ANNOTATION_ROLE_ARN } from '@/lib/model/kube-objects';
import 'server-only';
import type { ActionContext } from '@/lib/actions/action-context';
import { ActionError } from '@/lib/actions/action-context';
import { createAssociation } from '@/lib/actions/create-association/action';
import { clientRequestToken } from '@/lib/actions/association-plan';
import { createAssociationCommands } from '@/lib/actions/create-association/commands';
import { fixTrustPolicyCommands } from '@/lib/actions/fix-trust-policy/commands';
import { removeIrsaAnnotation } from '@/lib/actions/remove-irsa-annotation/action';
import { removeIrsaAnnotationCommands } from '@/lib/actions/remove-irsa-annotation/commands';
import { rollPods } from '@/lib/actions/roll-pods/action';
import { rollPodsCommands, workloadsToRestart } from '@/lib/actions/roll-pods/commands';
import { associationTerraform } from '@/lib/actions/shell';
import type { PreflightCheck } from '@/lib/actions/types';
import { freshRole } from '@/lib/actions/pod-identity-preflight';
import { issuerHostPath, oidcProviderArn } from '@/lib/identity/identity-facts';
import { serviceAccountKeys, type ServiceAccountContext } from '@/lib/identity/identity-context';
import type { IamRole, PolicyDocument } from '@/lib/model/cluster-state';
import { parseRoleArn, roleNameOf } from '@/lib/model/arn';
import { migrationReadiness } from './readiness';
import type { MigrationState } from './states';
import {
  hasStatement,
  oidcStatementsOnlyFor,
  scopedPodIdentityStatement,
  statementTerraform,
  trustsPodIdentity,
  withStatement,
  withoutStatements,
  type MigrationSubject,
} from './trust-statements';
import type { MigrationOptions, MigrationPlan, MigrationPlanItem, MigrationRequest, PlannedStep, PodAfterRoll } from './types';

// The plan of a migration (api.md: dry run), per service account: readiness, the steps with their exact requests
// and aws/kubectl equivalents, the preflight of the actions it reuses, what each pod gets after the roll, IaC
// ownership warnings, and Terraform for the end state. It changes nothing.

const POD_IDENTITY_ENV_TEXT =
  'Pod Identity: AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.23/v1/credentials and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE; no AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE';

/** The service accounts a request names: explicit ones, else every IRSA-annotated one of the namespaces. */
export function selectedServiceAccounts(ctx: ActionContext, request: MigrationRequest): { namespace: string; name: string }[] {
  const cluster = ctx.cluster(request.cluster);
  if (request.serviceAccounts?.length) return request.serviceAccounts;
  const namespaces = new Set(request.namespaces ?? []);
  return serviceAccountKeys(cluster)
    .filter((key) => namespaces.size === 0 || namespaces.has(key.namespace))
    .filter((key) => cluster.serviceAccountsByKey?.get(`${key.namespace}/${key.name}`)?.metadata.annotations?.[ANNOTATION_ROLE_ARN])
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

export function subjectOf(ctx: ActionContext, cluster: string, namespace: string, name: string): MigrationSubject {
  const eks = ctx.cluster(cluster).eks;
  if (!eks)
    throw new ActionError({ status: 502, code: 'unknown-cluster', message: `${cluster} could not be described (DescribeCluster).` });
  return { clusterArn: eks.arn, clusterName: eks.name, clusterAccount: eks.account, namespace, serviceAccount: name };
}

/** Marks on the role or the service account saying a tool owns them: its next apply may undo the migration. */
export function iacWarnings(sa: ServiceAccountContext, role: IamRole | null): string[] {
  const warnings: string[] = [];
  const labels = sa.serviceAccount?.metadata.labels ?? {};
  const annotations = sa.serviceAccount?.metadata.annotations ?? {};
  const managedBy = labels['app.kubernetes.io/managed-by'];
  if (managedBy)
    warnings.push(
      `The service account is labelled app.kubernetes.io/managed-by: ${managedBy}${annotations['meta.helm.sh/release-name'] ? ` (release ${annotations['meta.helm.sh/release-name']})` : ''}: the next ${managedBy} upgrade may put the role-arn annotation back or drop it. Change the chart's values too.`,
    );
  for (const key of ['argocd.argoproj.io/instance', 'kustomize.toolkit.fluxcd.io/name', 'helm.toolkit.fluxcd.io/name'])
    if (labels[key])
      warnings.push(`The service account is synced by GitOps (${key}: ${labels[key]}): change it in Git, or the next sync reverts it.`);
  for (const [key, value] of Object.entries(role?.tags ?? {})) {
    const text = `${key}=${value}`;
    if (/^(managed-?by|managedby|created-?by|provisioner|iac)$/i.test(key) || /terraform|pulumi|cloudformation|crossplane|cdk/i.test(text))
      warnings.push(
        `The role ${role!.name} is tagged ${text}: the next apply of its trust policy may remove the Pod Identity statement. Add it to the code (Terraform below).`,
      );
  }
  return warnings;
}

function trustDocument(role: IamRole | null): PolicyDocument | null {
  return role ? role.trustPolicy : null;
}

async function itemPlan(
  ctx: ActionContext,
  cluster: string,
  key: { namespace: string; name: string },
  options: MigrationOptions,
  roles: Map<string, Promise<{ role: IamRole | null; error?: string }>>,
): Promise<MigrationPlanItem> {
  const sa = ctx.serviceAccount(cluster, key.namespace, key.name);
  const readiness = migrationReadiness(sa);
  const base = { namespace: key.namespace, name: key.name, state: readiness.state, reasons: readiness.reasons };
  const skipOf: Partial<Record<MigrationState, string>> = {
    blocked: 'blocked: left untouched',
    'not-applicable': 'no IRSA annotation: nothing to migrate',
    migrated: 'already migrated: nothing to do',
  };
  const empty = { steps: [], preflight: [], podsAfterRoll: [], iacWarnings: [] };
  if (skipOf[readiness.state])
    return {
      ...base,
      ...empty,
      ...(sa.irsa ? { roleArn: sa.irsa.roleArn } : {}),
      skip: skipOf[readiness.state],
      preflight: readiness.reasons.map((reason) => ({ check: reason.code, status: 'fail' as const, message: reason.message })),
    };

  const roleArn = sa.irsa!.roleArn.trim();
  const eks = ctx.eks(cluster);
  const subject = subjectOf(ctx, cluster, key.namespace, key.name);
  if (!roles.has(roleArn)) roles.set(roleArn, freshRole(ctx, roleArn));
  const { role, error: roleError } = await roles.get(roleArn)!;
  const policy = trustDocument(role);
  const steps: PlannedStep[] = [];
  const preflight: PreflightCheck[] = [];
  if (roleError) preflight.push({ check: 'role', status: 'warn', message: `The console could not read ${roleArn}: ${roleError}` });

  // 1. Trust: the scoped statement, unless Pod Identity is already trusted for this service account.
  const statement = scopedPodIdentityStatement(subject, { restrict: options.restrictTrust });
  const trustDone = policy ? hasStatement(policy, statement.Sid!) || trustsPodIdentity(policy, subject) : false;
  const after = policy ? withStatement(policy, statement) : null;
  steps.push({
    step: 'trust',
    description: trustDone
      ? `${roleNameOf(roleArn)} already lets EKS Pod Identity assume it for ${key.namespace}/${key.name}: nothing to write`
      : `Append statement ${statement.Sid} to the trust policy of ${roleNameOf(roleArn)} (${options.restrictTrust ? 'only this cluster and service account' : 'any association'}), keeping the IRSA statement`,
    request: {
      service: 'iam',
      operation: 'UpdateAssumeRolePolicy',
      method: 'POST',
      body: { RoleName: roleNameOf(roleArn), PolicyDocument: after },
    },
    cli: fixTrustPolicyCommands.commands({ roleArn }, after ? { policyDocument: after } : {}).join('\n'),
    ...(trustDone ? { done: true } : {}),
  });

  // 2. The association, with the same idempotency token as the create-association action.
  const token = clientRequestToken([eks.clusterName, key.namespace, key.name, roleArn, null, false]);
  const params = { cluster, namespace: key.namespace, serviceAccount: key.name, roleArn };
  steps.push({
    step: 'associate',
    description: sa.association
      ? `Association ${sa.association.associationId} exists: it counts as done when its role is ${roleArn}`
      : `Create the association ${key.namespace}/${key.name} → ${roleNameOf(roleArn)} in ${eks.clusterName}`,
    request: {
      service: 'eks',
      operation: 'CreatePodIdentityAssociation',
      method: 'POST',
      path: `/clusters/${eks.clusterName}/pod-identity-associations`,
      body: { namespace: key.namespace, serviceAccount: key.name, roleArn, clientRequestToken: token },
    },
    cli: createAssociationCommands
      .commands(params, { region: eks.region, eksClusterName: eks.clusterName, clientRequestToken: token })
      .join('\n'),
    ...(sa.association ? { done: sa.association.roleArn === roleArn } : {}),
  });

  try {
    const associationPlan = await createAssociation.plan(params, ctx);
    for (const check of associationPlan.preflight) {
      if (check.check === 'trust-policy' && check.status !== 'pass')
        preflight.push({
          ...check,
          status: 'pass',
          message: `${check.message} Step 1 adds the statement before the association is created.`,
          offer: undefined,
        });
      else if (check.check === 'existing-association' && check.status === 'fail')
        preflight.push({
          ...check,
          status: 'pass',
          message: `${check.message.split('. EKS')[0]}. A migration counts an association with the same role as done.`,
          offer: undefined,
        });
      else if (check.check === 'irsa-annotation') continue;
      else preflight.push(check);
    }
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    preflight.push({ check: 'create-association', status: 'fail', message: error.plain.message });
  }

  // 3. The roll, and what each pod gets.
  const pods = sa.pods ?? [];
  const podsAfterRoll: PodAfterRoll[] = [];
  const workloads = workloadsToRestart(pods);
  const restarted = new Set(workloads.map((workload) => `${workload.kind}/${workload.name}`));
  for (const pod of pods) {
    const replaced = options.roll && pod.owner && restarted.has(`${pod.owner.kind}/${pod.owner.name}`);
    podsAfterRoll.push({
      pod: pod.name,
      gets: replaced
        ? `replaced by ${pod.owner!.kind} ${pod.owner!.name}: ${POD_IDENTITY_ENV_TEXT}`
        : `not replaced${pod.owner ? ` (owned by ${pod.owner.kind} ${pod.owner.name})` : ' (a bare pod)'}: keeps IRSA (${pod.mechanism}) until it is recreated`,
    });
  }
  if (options.roll) {
    const kubeContext = ctx.target(cluster).context;
    const cli = rollPodsCommands.commands(params, { kubeContext, workloads });
    steps.push({
      step: 'roll',
      description:
        workloads.length > 0
          ? `Restart ${workloads.map((workload) => `${workload.kind} ${workload.name}`).join(', ')}, then check every new pod carries the Pod Identity env and not the IRSA env`
          : 'No workload to restart: new pods will get Pod Identity when they start',
      request: {
        service: 'kubernetes',
        operation: 'PATCH workloads',
        method: 'PATCH',
        body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '<now>' } } } } },
      },
      cli: cli.join('\n'),
      ...(workloads.length === 0 ? { done: true } : {}),
    });
    if (pods.length > 0) {
      try {
        const rollPlan = await rollPods.plan({ ...params, includeBarePods: false, includeJobPods: false }, ctx);
        preflight.push(
          ...rollPlan.preflight.filter((check) => check.check !== 'pods').map((check) => ({ ...check, check: `roll: ${check.check}` })),
        );
      } catch (error) {
        if (!(error instanceof ActionError)) throw error;
        preflight.push({ check: 'roll', status: 'warn', message: error.plain.message });
      }
    }
  }

  // 4. The annotation.
  if (options.removeAnnotation) {
    const kubeContext = ctx.target(cluster).context;
    steps.push({
      step: 'remove-annotation',
      description: `Remove ${ANNOTATION_ROLE_ARN} from ${key.namespace}/${key.name}`,
      request: {
        service: 'kubernetes',
        operation: 'PATCH serviceaccounts',
        method: 'PATCH',
        path: `/api/v1/namespaces/${key.namespace}/serviceaccounts/${key.name}`,
        body: { metadata: { annotations: { [ANNOTATION_ROLE_ARN]: null } } },
      },
      cli: removeIrsaAnnotationCommands.commands(params, { kubeContext }).join('\n'),
    });
    try {
      const annotationPlan = await removeIrsaAnnotation.plan(params, ctx);
      preflight.push(
        ...annotationPlan.preflight
          .filter((check) => check.check !== 'pod-identity' && check.check !== 'annotation')
          .map((check) => ({ ...check, check: `annotation: ${check.check}` })),
      );
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      preflight.push({ check: 'annotation', status: 'warn', message: error.plain.message });
    }
  }

  // 5. The OIDC statement, only when nobody else relies on it.
  if (options.removeOidcTrust) {
    const issuer = ctx.cluster(cluster).eks?.oidcIssuer;
    const parts = parseRoleArn(roleArn);
    const others = otherIrsaUsers(ctx, roleArn, cluster, key);
    const removable =
      policy && issuer && parts
        ? oidcStatementsOnlyFor(policy, {
            providerArn: oidcProviderArn(parts.account, issuerHostPath(issuer), parts.partition),
            issuer: issuerHostPath(issuer),
            namespace: key.namespace,
            serviceAccount: key.name,
          })
        : [];
    const remaining = policy ? withoutStatements(withStatement(policy, statement), (s) => removable.includes(s)) : null;
    steps.push({
      step: 'remove-oidc-trust',
      description:
        others.length > 0
          ? `Keep the OIDC statement: ${others.slice(0, 3).join(', ')} still use ${roleNameOf(roleArn)} through IRSA`
          : removable.length === 0
            ? 'No OIDC statement serves only this service account: nothing to remove'
            : `Remove the OIDC statement(s) ${removable.map((s) => s.Sid ?? '(no Sid)').join(', ')} from ${roleNameOf(roleArn)}`,
      request: {
        service: 'iam',
        operation: 'UpdateAssumeRolePolicy',
        method: 'POST',
        body: { RoleName: roleNameOf(roleArn), PolicyDocument: remaining },
      },
      cli: fixTrustPolicyCommands.commands({ roleArn }, remaining ? { policyDocument: remaining } : {}).join('\n'),
      ...(others.length > 0 || removable.length === 0 ? { done: true } : {}),
    });
  }

  const terraform = [
    associationTerraform({ clusterName: eks.clusterName, namespace: key.namespace, serviceAccount: key.name, roleArn }),
    `# In the assume_role_policy of ${roleNameOf(roleArn)} (data "aws_iam_policy_document"), keep the IRSA statement and add:`,
    statementTerraform(statement),
  ].join('\n');
  return {
    ...base,
    roleArn,
    steps,
    preflight,
    podsAfterRoll,
    iacWarnings: iacWarnings(sa, role),
    terraform,
  };
}

/** Other service accounts, in any watched cluster, that still assume this role through IRSA. */
export function otherIrsaUsers(ctx: ActionContext, roleArn: string, cluster: string, key: { namespace: string; name: string }): string[] {
  const users: string[] = [];
  for (const state of ctx.fleet.clusters)
    for (const sa of state.kube.serviceAccounts ?? []) {
      if (state.name === cluster && sa.metadata.namespace === key.namespace && sa.metadata.name === key.name) continue;
      if (sa.metadata.annotations?.[ANNOTATION_ROLE_ARN]?.trim() === roleArn)
        users.push(`${state.name}/${sa.metadata.namespace}/${sa.metadata.name}`);
    }
  return users;
}

/** At most this many service accounts are planned at once (each reads its role and, for the roll, its pods). */
const PLAN_CONCURRENCY = 8;

export async function planMigration(ctx: ActionContext, request: MigrationRequest): Promise<MigrationPlan> {
  ctx.eks(request.cluster);
  const keys = selectedServiceAccounts(ctx, request);
  const roles = new Map<string, Promise<{ role: IamRole | null; error?: string }>>();
  const items: MigrationPlanItem[] = new Array(keys.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PLAN_CONCURRENCY, keys.length) }, async () => {
      while (next < keys.length) {
        const index = next++;
        items[index] = await itemPlan(ctx, request.cluster, keys[index], request.options, roles);
      }
    }),
  );
  const byState: Partial<Record<MigrationState, number>> = {};
  for (const item of items) byState[item.state] = (byState[item.state] ?? 0) + 1;
  const runnable = items.filter((item) => !item.skip).length;
  return {
    cluster: request.cluster,
    options: request.options,
    items,
    terraform: items
      .filter((item) => item.terraform)
      .map((item) => `# ${item.namespace}/${item.name}\n${item.terraform}`)
      .join('\n\n'),
    summary: { total: items.length, runnable, skipped: items.length - runnable, byState },
  };
}
