import 'server-only';
import { ActionError, type ActionContext } from '@/lib/actions/action-context';
import { settle, waitForEffect, type JobHandle } from '@/lib/actions/definition';
import { clientRequestToken } from '@/lib/actions/association-plan';
import { plainError } from '@/lib/actions/plain-errors';
import { removeIrsaAnnotation } from '@/lib/actions/remove-irsa-annotation/action';
import { rollPods } from '@/lib/actions/roll-pods/action';
import { describePodIdentityAssociation } from '@/lib/aws/eks';
import { getRole } from '@/lib/aws/iam';
import { createPodIdentityAssociation, deletePodIdentityAssociation, updateAssumeRolePolicy } from '@/lib/aws/writes';
import { issuerHostPath, oidcProviderArn } from '@/lib/identity/identity-facts';
import { isLivePod } from '@/lib/identity/identity-context';
import { getServiceAccount, listPodsOfServiceAccount, patchServiceAccountAnnotations } from '@/lib/kube/writes';
import type { IamRole, PodIdentityAssociation, PolicyDocument } from '@/lib/model/cluster-state';
import { ANNOTATION_ROLE_ARN, IRSA_ENV, POD_IDENTITY_ENV, podEnv, type Pod } from '@/lib/model/kube-objects';
import { parseRoleArn } from '@/lib/model/arn';
import { policyStatements } from '@/lib/policy/policy-document';
import { otherIrsaUsers, subjectOf } from './plan';
import {
  hasStatement,
  oidcStatementsOnlyFor,
  scopedPodIdentityStatement,
  trustsPodIdentity,
  withStatement,
  withoutStatements,
} from './trust-statements';
import type { AppliedStep, MigrationItem, MigrationOptions, StepName } from './types';

// The steps of one service account's migration and their undo (issue 15). Each step reads before it writes,
// so a re-run (resume, a second migration) finds its own earlier work and moves on; each is verified by a
// re-read before the next starts. They reuse the actions' writes and verifications (create-association's token,
// roll-pods, remove-irsa-annotation) and the fix-trust-policy statement.

export interface StepEnv {
  ctx: ActionContext;
  cluster: string;
  item: MigrationItem;
  options: MigrationOptions;
  job: JobHandle;
}

class StepFailed extends Error {}

function fail(message: string): never {
  throw new StepFailed(message);
}

export function stepErrorMessage(error: unknown): string {
  if (error instanceof ActionError) return error.plain.message;
  if (error instanceof StepFailed) return error.message;
  return `The console failed: ${(error as Error).message}`;
}

// Two service accounts of one batch may share a role: its trust policy is read, changed and written by one at a time.
const roleLocks = new Map<string, Promise<unknown>>();
async function withRoleLock<T>(roleArn: string, work: () => Promise<T>): Promise<T> {
  const previous = roleLocks.get(roleArn) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(work);
  roleLocks.set(roleArn, current);
  try {
    return await current;
  } finally {
    if (roleLocks.get(roleArn) === current) roleLocks.delete(roleArn);
  }
}

function iamScope(env: StepEnv, roleArn: string) {
  return env.ctx.iamScopeFor(parseRoleArn(roleArn)?.account);
}

async function readRole(env: StepEnv, roleArn: string): Promise<IamRole> {
  try {
    const role = await getRole(iamScope(env, roleArn), roleArn);
    if (!role) fail(`The role ${roleArn} does not exist.`);
    return role;
  } catch (error) {
    if (error instanceof StepFailed) throw error;
    throw new ActionError(plainError({ service: 'iam', operation: 'GetRole', permission: 'iam:GetRole' }, error));
  }
}

async function writeTrust(env: StepEnv, roleArn: string, policy: PolicyDocument, check: (policy: PolicyDocument) => boolean) {
  try {
    await updateAssumeRolePolicy(iamScope(env, roleArn), roleArn, policy);
  } catch (error) {
    throw new ActionError(
      plainError({ service: 'iam', operation: 'UpdateAssumeRolePolicy', permission: 'iam:UpdateAssumeRolePolicy' }, error),
    );
  }
  const seen = await waitForEffect(
    () => readRole(env, roleArn),
    (role) => check(role.trustPolicy),
  );
  if (!seen.verified)
    fail(
      `The trust policy of ${roleArn} was written, but a re-read does not show the change${seen.readError ? ` (${seen.readError})` : ''}.`,
    );
}

/** What a pod's containers carry: the Pod Identity env, the IRSA env. */
export function credentialEnv(pod: Pod): { podIdentity: boolean; irsa: boolean } {
  const env = podEnv(pod);
  return { podIdentity: env.has(POD_IDENTITY_ENV), irsa: IRSA_ENV.some((name) => env.has(name)) };
}

async function livePods(env: StepEnv): Promise<Pod[]> {
  try {
    return (await listPodsOfServiceAccount(env.ctx.target(env.cluster), env.item.namespace, env.item.name)).filter(isLivePod);
  } catch (error) {
    throw new ActionError(
      plainError({ service: 'kubernetes', operation: 'list pods', permission: `list pods in ${env.item.namespace}` }, error),
    );
  }
}

/** The context the roll judges expected env by: the association as the migration made it (the collected view is older). */
function contextWithAssociation(env: StepEnv, association: PodIdentityAssociation | null): ActionContext {
  const { ctx } = env;
  return {
    ...ctx,
    serviceAccount(cluster, namespace, name) {
      const sa = ctx.serviceAccount(cluster, namespace, name);
      if (cluster !== env.cluster || namespace !== env.item.namespace || name !== env.item.name) return sa;
      return { ...sa, association, associationsKnown: true };
    },
  };
}

/**
 * Restart the service account's workloads and verify that every new pod carries the wanted mechanism's env and
 * not the other's. Nothing to restart, or every pod already right, counts as done without a write.
 */
async function rollAndVerify(
  env: StepEnv,
  want: 'pod-identity' | 'irsa',
  association: PodIdentityAssociation | null,
): Promise<AppliedStep> {
  const right = (pod: Pod) => {
    const carried = credentialEnv(pod);
    return want === 'pod-identity' ? carried.podIdentity && !carried.irsa : carried.irsa && !carried.podIdentity;
  };
  const before = await livePods(env);
  if (before.length === 0 || before.every(right)) return { step: 'roll', rolled: false, pods: before.length };
  const ctx = contextWithAssociation(env, association);
  const params = {
    cluster: env.cluster,
    namespace: env.item.namespace,
    serviceAccount: env.item.name,
    includeBarePods: false,
    includeJobPods: false,
  };
  const plan = await rollPods.plan(params, ctx);
  const blocking = plan.preflight.filter((check) => check.status === 'fail');
  if (blocking.length > 0) fail(`The roll cannot run: ${blocking.map((check) => check.message).join(' ')}`);
  const applied = await rollPods.apply(params, plan, ctx, env.job);
  const settled = await settle(rollPods, params, plan, applied);
  if (settled.status === 'cancelled') fail('cancelled');
  if (settled.status !== 'succeeded') fail(settled.error?.message ?? `The roll ended ${settled.status}.`);
  const originals = new Set(before.map((pod) => pod.metadata.uid ?? pod.metadata.name));
  const after = (await livePods(env)).filter((pod) => !originals.has(pod.metadata.uid ?? pod.metadata.name));
  const wrong = after.filter((pod) => !right(pod));
  if (wrong.length > 0)
    fail(
      `${wrong.length} new pod(s) do not carry ${want === 'pod-identity' ? 'the Pod Identity env without the IRSA env' : 'the IRSA env without the Pod Identity env'}: ${wrong
        .slice(0, 3)
        .map((pod) => pod.metadata.name)
        .join(', ')}.`,
    );
  return { step: 'roll', rolled: true, pods: after.length };
}

async function describeAssociation(env: StepEnv, associationId: string): Promise<PodIdentityAssociation> {
  const eks = env.ctx.eks(env.cluster);
  return describePodIdentityAssociation(eks.scope, eks.clusterName, associationId);
}

export async function runStep(step: StepName, env: StepEnv): Promise<AppliedStep> {
  const { item, ctx, cluster, options } = env;
  const roleArn = item.roleArn!;
  const subject = subjectOf(ctx, cluster, item.namespace, item.name);
  switch (step) {
    case 'trust': {
      const statement = scopedPodIdentityStatement(subject, { restrict: options.restrictTrust });
      const sid = statement.Sid!;
      return withRoleLock(roleArn, async () => {
        const role = await readRole(env, roleArn);
        if (hasStatement(role.trustPolicy, sid)) return { step: 'trust', roleArn, sid, added: true };
        if (trustsPodIdentity(role.trustPolicy, subject)) return { step: 'trust', roleArn, sid, added: false };
        await writeTrust(env, roleArn, withStatement(role.trustPolicy, statement), (policy) => hasStatement(policy, sid));
        return { step: 'trust', roleArn, sid, added: true };
      });
    }
    case 'associate': {
      const eks = ctx.eks(cluster);
      const known = ctx.serviceAccount(cluster, item.namespace, item.name).association;
      let associationId: string | undefined;
      let created = false;
      if (known) associationId = known.associationId;
      else {
        const token = clientRequestToken([eks.clusterName, item.namespace, item.name, roleArn, null, false]);
        // IAM is eventually consistent: EKS may judge the trust policy before the new statement shows.
        for (let attempt = 0; ; attempt++) {
          try {
            const result = await createPodIdentityAssociation(eks.scope, {
              clusterName: eks.clusterName,
              namespace: item.namespace,
              serviceAccount: item.name,
              roleArn,
              clientRequestToken: token,
            });
            associationId = result.associationId;
            created = true;
            break;
          } catch (error) {
            const plain = plainError(
              { service: 'eks', operation: 'CreatePodIdentityAssociation', permission: 'eks:CreatePodIdentityAssociation' },
              error,
            );
            const existing = /a-[a-z0-9]{17}/.exec(plain.upstream?.message ?? plain.message)?.[0];
            if (plain.code === 'conflict' && existing) {
              associationId = existing;
              break;
            }
            if (/trust policy/i.test(plain.upstream?.message ?? '') && attempt < 4) {
              await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
              continue;
            }
            throw new ActionError(plain);
          }
        }
      }
      const seen = await waitForEffect(
        () => describeAssociation(env, associationId!),
        (association) => Boolean(association.roleArn),
      );
      if (!seen.seen) fail(`Association ${associationId} could not be read back (${seen.readError ?? 'no answer'}).`);
      const association = seen.seen.value;
      if (association.roleArn !== roleArn || association.targetRoleArn)
        fail(
          `${item.namespace}/${item.name} already has association ${associationId} with role ${association.roleArn}${association.targetRoleArn ? ` and target role ${association.targetRoleArn}` : ''}, not ${roleArn}: change it with update-association, not a migration.`,
        );
      return { step: 'associate', associationId: associationId!, created };
    }
    case 'roll': {
      const associate = item.applied.find((applied) => applied.step === 'associate');
      const association = associate?.step === 'associate' ? await describeAssociation(env, associate.associationId) : null;
      if (!association) fail('There is no association to roll the pods onto.');
      return rollAndVerify(env, 'pod-identity', association);
    }
    case 'remove-annotation': {
      const target = ctx.target(cluster);
      const sa = await getServiceAccount(target, item.namespace, item.name);
      const value = sa.metadata.annotations?.[ANNOTATION_ROLE_ARN];
      if (value === undefined) return { step: 'remove-annotation', roleArn, removed: false };
      const params = { cluster, namespace: item.namespace, serviceAccount: item.name };
      const plan = await removeIrsaAnnotation.plan(params, ctx);
      const applied = await removeIrsaAnnotation.apply(params, plan, ctx, env.job);
      const settled = await settle(removeIrsaAnnotation, params, plan, applied);
      if (settled.status !== 'succeeded') fail(settled.error?.message ?? `Removing the annotation ended ${settled.status}.`);
      return { step: 'remove-annotation', roleArn: value, removed: true };
    }
    case 'remove-oidc-trust': {
      const others = otherIrsaUsers(ctx, roleArn, cluster, item);
      if (others.length > 0) return { step: 'remove-oidc-trust', roleArn, removed: [] };
      const issuer = ctx.cluster(cluster).eks?.oidcIssuer;
      const parts = parseRoleArn(roleArn);
      if (!issuer || !parts) return { step: 'remove-oidc-trust', roleArn, removed: [] };
      return withRoleLock(roleArn, async () => {
        const role = await readRole(env, roleArn);
        const removed = oidcStatementsOnlyFor(role.trustPolicy, {
          providerArn: oidcProviderArn(parts.account, issuerHostPath(issuer), parts.partition),
          issuer: issuerHostPath(issuer),
          namespace: item.namespace,
          serviceAccount: item.name,
        });
        if (removed.length === 0) return { step: 'remove-oidc-trust', roleArn, removed };
        const keys = new Set(removed.map((statement) => JSON.stringify(statement)));
        await writeTrust(
          env,
          roleArn,
          withoutStatements(role.trustPolicy, (statement) => keys.has(JSON.stringify(statement))),
          (policy) => !policyStatements(policy).some((statement) => keys.has(JSON.stringify(statement))),
        );
        return { step: 'remove-oidc-trust', roleArn, removed };
      });
    }
  }
}

/**
 * Undo one service account, exactly what it applied: the annotation and the OIDC statement back, the association
 * deleted, the pods rolled and verified back on IRSA, and only then the trust statement removed (pods still on
 * Pod Identity need it until they are replaced). Each undo reads first, so a repeated rollback is harmless.
 */
export async function undoItem(env: StepEnv, onStep: (step: StepName) => void): Promise<void> {
  const { item, ctx, cluster } = env;
  const applied = (step: StepName) => item.applied.filter((entry) => entry.step === step);
  const target = ctx.target(cluster);

  for (const entry of applied('remove-annotation')) {
    if (entry.step !== 'remove-annotation' || !entry.removed) continue;
    onStep('remove-annotation');
    const sa = await getServiceAccount(target, item.namespace, item.name);
    if (sa.metadata.annotations?.[ANNOTATION_ROLE_ARN] !== entry.roleArn) {
      await patchServiceAccountAnnotations(
        target,
        item.namespace,
        item.name,
        { [ANNOTATION_ROLE_ARN]: entry.roleArn },
        {
          resourceVersion: sa.metadata.resourceVersion,
        },
      );
      const seen = await waitForEffect(
        () => getServiceAccount(target, item.namespace, item.name),
        (now) => now.metadata.annotations?.[ANNOTATION_ROLE_ARN] === entry.roleArn,
      );
      if (!seen.verified) fail('The role-arn annotation was written back, but a re-read does not show it.');
    }
  }

  for (const entry of applied('remove-oidc-trust')) {
    if (entry.step !== 'remove-oidc-trust' || entry.removed.length === 0) continue;
    onStep('remove-oidc-trust');
    await withRoleLock(entry.roleArn, async () => {
      const role = await readRole(env, entry.roleArn);
      const present = new Set(policyStatements(role.trustPolicy).map((statement) => JSON.stringify(statement)));
      const missing = entry.removed.filter((statement) => !present.has(JSON.stringify(statement)));
      if (missing.length === 0) return;
      const restored = missing.reduce((policy, statement) => withStatement(policy, statement), role.trustPolicy);
      await writeTrust(env, entry.roleArn, restored, (policy) => {
        const now = new Set(policyStatements(policy).map((statement) => JSON.stringify(statement)));
        return missing.every((statement) => now.has(JSON.stringify(statement)));
      });
    });
  }

  for (const entry of applied('associate')) {
    if (entry.step !== 'associate' || !entry.created) continue;
    onStep('associate');
    const eks = ctx.eks(cluster);
    try {
      await deletePodIdentityAssociation(eks.scope, eks.clusterName, entry.associationId);
    } catch (error) {
      const plain = plainError(
        { service: 'eks', operation: 'DeletePodIdentityAssociation', permission: 'eks:DeletePodIdentityAssociation' },
        error,
      );
      if (plain.code !== 'not-found') throw new ActionError(plain);
    }
    const gone = await waitForEffect(
      () =>
        describeAssociation(env, entry.associationId).then(
          () => false,
          (error: unknown) => {
            if (
              plainError(
                { service: 'eks', operation: 'DescribePodIdentityAssociation', permission: 'eks:DescribePodIdentityAssociation' },
                error,
              ).code === 'not-found'
            )
              return true;
            throw error;
          },
        ),
      (isGone) => isGone,
    );
    if (!gone.verified) fail(`Association ${entry.associationId} was deleted, but a re-read still finds it.`);
  }

  // Any roll step, not only one that restarted pods itself: a run interrupted after sending the restart (a console
  // replica killed mid-roll) leaves the resumed roll finding the pods already on Pod Identity (rolled: false), and
  // those pods must come back to IRSA too. rollAndVerify writes nothing when every pod already carries IRSA.
  const rolled = applied('roll').length > 0;
  const associationDeleted = applied('associate').some((entry) => entry.step === 'associate' && entry.created);
  if (rolled && associationDeleted) {
    onStep('roll');
    await rollAndVerify(env, 'irsa', null);
  }

  for (const entry of applied('trust')) {
    if (entry.step !== 'trust' || !entry.added) continue;
    onStep('trust');
    await withRoleLock(entry.roleArn, async () => {
      const role = await readRole(env, entry.roleArn);
      if (!hasStatement(role.trustPolicy, entry.sid)) return;
      await writeTrust(
        env,
        entry.roleArn,
        withoutStatements(role.trustPolicy, (statement) => statement.Sid === entry.sid),
        (policy) => !hasStatement(policy, entry.sid),
      );
    });
  }
}
