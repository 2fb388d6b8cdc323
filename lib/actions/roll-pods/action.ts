import 'server-only';
import { kubeListAll } from '@/lib/kube/client';
import { consoleMay, evictPod, getServiceAccount, listPodsOfServiceAccount, restartWorkload, workloadPath } from '@/lib/kube/writes';
import { desiredStsMode } from '@/lib/identity/identity-context';
import { type Pod, type Workload, ANNOTATION_ROLE_ARN } from '@/lib/model/kube-objects';
import { ActionError, type ActionContext } from '../action-context';
import { defineAction } from '../definition';
import { serviceAccountTargets } from '../service-account-targets';
import { rollPodsCommands } from './commands';
import { plainError } from '../plain-errors';
import {
  describeExpectedEnv,
  notReadyReason,
  rollState,
  rollTargets,
  type ExpectedEnv,
  type RollState,
  type RollTargets,
} from './roll-plan';
import { rollPodsParams } from '../schemas';
import { shellQuote } from '../shell';
import type { PlanStep, PreflightCheck } from '../types';

// Action 6: replace the pods of a service account so the webhook injects the current identity. Deployments,
// StatefulSets and DaemonSets are restarted as `kubectl rollout restart` does (kubectl's
// pkg/polymorphichelpers/objectrestarter.go: patch spec.template.metadata.annotations
// kubectl.kubernetes.io/restartedAt); bare and Job pods are evicted only on explicit opt-in, through the
// Eviction API so PodDisruptionBudgets hold.

const POLL_MS = 1_000;
/** No progress for this long = stuck, with the reason (CONSOLE_ROLL_STUCK_SECONDS, default 120). */
function stuckAfterMs(): number {
  const seconds = Number(process.env.CONSOLE_ROLL_STUCK_SECONDS ?? 120);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 120) * 1000;
}
const MAX_ROLL_MS = 30 * 60_000;

async function currentPods(ctx: ActionContext, cluster: string, namespace: string, serviceAccount: string): Promise<Pod[]> {
  try {
    return await listPodsOfServiceAccount(ctx.target(cluster), namespace, serviceAccount);
  } catch (error) {
    throw new ActionError(plainError({ service: 'kubernetes', operation: 'list pods', permission: `list pods in ${namespace}` }, error));
  }
}

async function targetsOf(ctx: ActionContext, cluster: string, namespace: string, pods: Pod[]): Promise<RollTargets> {
  const usesReplicaSets = pods.some((pod) => pod.metadata.ownerReferences?.some((owner) => owner.kind === 'ReplicaSet'));
  let replicaSets: Workload[] = [];
  if (usesReplicaSets) {
    try {
      replicaSets = await kubeListAll<Workload>(ctx.target(cluster), workloadPath('ReplicaSet', namespace));
    } catch (error) {
      throw new ActionError(
        plainError({ service: 'kubernetes', operation: 'list replicasets', permission: `list replicasets in ${namespace}` }, error),
      );
    }
  }
  return rollTargets(pods, replicaSets);
}

/** The env new pods should carry, from the service account and association as they are now. */
async function expectedEnvOf(ctx: ActionContext, cluster: string, namespace: string, name: string): Promise<ExpectedEnv> {
  const saContext = ctx.serviceAccount(cluster, namespace, name);
  if (saContext.association) return { mechanism: 'pod-identity' };
  const serviceAccount = await getServiceAccount(ctx.target(cluster), namespace, name).catch(() => null);
  const roleArn = serviceAccount?.metadata.annotations?.[ANNOTATION_ROLE_ARN]?.trim();
  if (roleArn) {
    const mode = desiredStsMode(saContext).mode;
    return {
      mechanism: 'irsa',
      roleArn,
      stsRegional: mode === 'regional' ? true : mode === 'legacy' || mode === 'sdk-default' ? false : null,
    };
  }
  return { mechanism: 'none' };
}

const lower = (kind: string) => kind.toLowerCase();

/** A re-read after the roll: how far it is and what is reported. */
interface RollOutcome {
  state: RollState;
  result: { replaced: number; total: number; newPods: number; withExpectedEnv: number; expectedEnv: string };
}

export const rollPods = defineAction({
  kind: 'roll-pods',
  ...rollPodsCommands,
  schema: rollPodsParams,
  eventReason: 'PodsRolled',
  cancellable: true,
  targets: serviceAccountTargets,
  async plan(params, ctx) {
    const pods = await currentPods(ctx, params.cluster, params.namespace, params.serviceAccount);
    const targets = await targetsOf(ctx, params.cluster, params.namespace, pods);
    const expected = await expectedEnvOf(ctx, params.cluster, params.namespace, params.serviceAccount);
    const kubeContext = ctx.target(params.cluster).context;
    const contextFlag = kubeContext ? ` --context ${shellQuote(kubeContext)}` : '';
    const preflight: PreflightCheck[] = [];
    const inScope =
      targets.workloads.reduce((sum, workload) => sum + workload.pods.length, 0) +
      (params.includeBarePods ? targets.barePods.length : 0) +
      (params.includeJobPods ? targets.jobPods.length : 0);
    preflight.push(
      inScope > 0
        ? {
            check: 'pods',
            status: 'pass',
            message: `${inScope} pod(s) will be replaced; new pods should carry ${describeExpectedEnv(expected)}.`,
          }
        : {
            check: 'pods',
            status: 'fail',
            message:
              pods.length === 0
                ? 'No pod runs as this service account.'
                : 'No pod of this service account is in scope: opt in to bare or Job pods to replace them.',
          },
    );
    if (targets.barePods.length > 0)
      preflight.push(
        params.includeBarePods
          ? {
              check: 'bare-pods',
              status: 'warn',
              message: `Bare pods ${targets.barePods.join(', ')} will be evicted and will NOT come back: nothing recreates them.`,
            }
          : {
              check: 'bare-pods',
              status: 'warn',
              message: `Bare pods ${targets.barePods.join(', ')} are left alone (no controller would recreate them). Opt in to evict them.`,
            },
      );
    if (targets.jobPods.length > 0)
      preflight.push(
        params.includeJobPods
          ? {
              check: 'job-pods',
              status: 'warn',
              message: `Job pods ${targets.jobPods.join(', ')} will be evicted; their Jobs replace them only while not complete.`,
            }
          : { check: 'job-pods', status: 'warn', message: `Job pods ${targets.jobPods.join(', ')} are left alone. Opt in to evict them.` },
      );
    if (targets.otherPods.length > 0)
      preflight.push({
        check: 'other-owners',
        status: 'warn',
        message: `Pods owned by other controllers are left alone: ${targets.otherPods.map((other) => `${other.pod} (${other.owner})`).join(', ')}.`,
      });
    try {
      const target = ctx.target(params.cluster);
      const denied: string[] = [];
      for (const kind of new Set(targets.workloads.map((workload) => workload.kind))) {
        const review = await consoleMay(target, { verb: 'patch', resource: `${lower(kind)}s`, group: 'apps', namespace: params.namespace });
        if (!review.allowed) denied.push(`patch ${lower(kind)}s`);
      }
      if ((params.includeBarePods && targets.barePods.length) || (params.includeJobPods && targets.jobPods.length)) {
        const review = await consoleMay(target, { verb: 'create', resource: 'pods', subresource: 'eviction', namespace: params.namespace });
        if (!review.allowed) denied.push('create pods/eviction');
      }
      preflight.push(
        denied.length === 0
          ? { check: 'permission', status: 'pass', message: `The console may restart these workloads in ${params.namespace}.` }
          : {
              check: 'permission',
              status: 'fail',
              message: `The console's Kubernetes identity lacks ${denied.join(', ')} in ${params.namespace}.`,
            },
      );
    } catch (error) {
      preflight.push({
        check: 'permission',
        status: 'warn',
        message: `The console could not ask the API server about its permissions: ${(error as Error).message}`,
      });
    }

    const restartedAt = '<now>';
    const evicted = [...(params.includeBarePods ? targets.barePods : []), ...(params.includeJobPods ? targets.jobPods : [])];
    // One command line per step, in the steps' order: restarts, then evictions.
    const cli = rollPodsCommands.commands(params, { kubeContext, workloads: targets.workloads, evictedPods: evicted });
    const steps: PlanStep[] = targets.workloads.map((workload, index) => ({
      description: `Restart ${workload.kind} ${workload.name} (${workload.pods.length} pod(s)), as kubectl rollout restart does`,
      request: {
        service: 'kubernetes',
        operation: `PATCH ${lower(workload.kind)}s`,
        method: 'PATCH',
        path: workloadPath(workload.kind, params.namespace, workload.name),
        body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } } } },
      },
      cli: cli[index],
    }));
    for (const [index, pod] of evicted.entries())
      steps.push({
        description: `Evict pod ${pod} (PodDisruptionBudgets apply)`,
        request: {
          service: 'kubernetes',
          operation: 'POST pods/eviction',
          method: 'POST',
          path: `/api/v1/namespaces/${params.namespace}/pods/${pod}/eviction`,
          body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: params.namespace } },
        },
        cli: cli[targets.workloads.length + index],
      });
    return {
      type: 'roll-pods',
      params: { ...params },
      targets: serviceAccountTargets(params),
      summary: `Roll the pods of ${params.cluster}/${params.namespace}/${params.serviceAccount}`,
      preflight,
      steps,
      preview: {
        workloads: targets.workloads,
        barePods: targets.barePods,
        jobPods: targets.jobPods,
        notes: [
          `New pods should carry ${describeExpectedEnv(expected)}.`,
          ...(targets.workloads.length
            ? [
                `Then: kubectl${contextFlag} -n ${params.namespace} rollout status ${lower(targets.workloads[0].kind)}/${targets.workloads[0].name}`,
              ]
            : []),
        ],
      },
    };
  },
  async apply(params, plan, ctx, job) {
    const target = ctx.target(params.cluster);
    const workloads = plan.preview?.workloads ?? [];
    const evictions = [
      ...(params.includeBarePods ? (plan.preview?.barePods ?? []) : []),
      ...(params.includeJobPods ? (plan.preview?.jobPods ?? []) : []),
    ];
    const expected = await expectedEnvOf(ctx, params.cluster, params.namespace, params.serviceAccount);

    const before = await currentPods(ctx, params.cluster, params.namespace, params.serviceAccount);
    const inScopeNames = new Set([...workloads.flatMap((workload) => workload.pods), ...evictions]);
    const original = before.filter((pod) => inScopeNames.has(pod.metadata.name));
    const originalNames = new Set(original.map((pod) => pod.metadata.name));
    const originalUids = new Set(original.map((pod) => pod.metadata.uid).filter((uid): uid is string => Boolean(uid)));

    const now = ctx.now();
    for (const workload of workloads) {
      try {
        await restartWorkload(target, workload.kind, params.namespace, workload.name, now);
      } catch (error) {
        throw new ActionError(
          plainError(
            {
              service: 'kubernetes',
              operation: `patch ${lower(workload.kind)}s`,
              permission: `patch ${lower(workload.kind)}s in ${params.namespace}`,
            },
            error,
          ),
        );
      }
    }

    const pendingEvictions = new Set(evictions.filter((pod) => originalNames.has(pod)));
    let blockedEviction: string | undefined;
    let lastProgressKey = '';
    let lastProgressAt = Date.now();
    const startedAt = Date.now();
    for (;;) {
      for (const pod of [...pendingEvictions]) {
        try {
          await evictPod(target, params.namespace, pod);
          pendingEvictions.delete(pod);
          blockedEviction = undefined;
        } catch (error) {
          const plain = plainError(
            { service: 'kubernetes', operation: 'create pods/eviction', permission: `create pods/eviction in ${params.namespace}` },
            error,
          );
          if (plain.code === 'not-found') pendingEvictions.delete(pod);
          else if (plain.code === 'disruption-budget')
            blockedEviction = `evicting ${pod} is blocked by a PodDisruptionBudget: ${plain.upstream?.message ?? plain.message}`;
          else throw new ActionError(plain);
        }
      }
      const state = rollState(
        originalNames,
        originalUids,
        await currentPods(ctx, params.cluster, params.namespace, params.serviceAccount),
        expected,
      );
      job.report({
        done: state.done,
        total: state.total,
        message: state.message,
        withExpectedEnv: state.withExpectedEnv,
        newPods: state.newPods,
      });
      const result = {
        replaced: state.done,
        total: state.total,
        newPods: state.newPods,
        withExpectedEnv: state.withExpectedEnv,
        expectedEnv: describeExpectedEnv(expected),
      };
      if (state.finished && pendingEvictions.size === 0)
        return {
          status: 'written',
          read: async (): Promise<RollOutcome> => {
            const now = rollState(
              originalNames,
              originalUids,
              await currentPods(ctx, params.cluster, params.namespace, params.serviceAccount),
              expected,
            );
            return { state: now, result: { ...result, replaced: now.done, newPods: now.newPods, withExpectedEnv: now.withExpectedEnv } };
          },
        };
      if (job.cancelled())
        return {
          status: 'cancelled',
          result,
          message: 'Cancelled: the console stopped evicting and watching. Workload restarts already sent continue in the cluster.',
        };
      const progressKey = `${state.done}/${state.newPods}/${state.notReady.length}/${pendingEvictions.size}`;
      if (progressKey !== lastProgressKey) {
        lastProgressKey = progressKey;
        lastProgressAt = Date.now();
      } else if (Date.now() - lastProgressAt > stuckAfterMs() || Date.now() - startedAt > MAX_ROLL_MS) {
        const reason =
          blockedEviction ??
          (state.notReady[0] ? notReadyReason(state.notReady[0]) : `${state.total - state.done} original pod(s) are still running`);
        return {
          status: 'stuck',
          result,
          message: `Stuck after ${Math.round((Date.now() - lastProgressAt) / 1000)} s without progress: ${reason}.`,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  },
  // Every original pod in scope is gone and every new pod is ready.
  verified: (seen: RollOutcome) => seen.state.finished,
  result: (seen: RollOutcome) => seen.result,
  describe: (seen: RollOutcome) => seen.state.message,
});
