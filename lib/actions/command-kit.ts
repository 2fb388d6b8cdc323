import type { ActionKind, ActionParams } from './schemas';
import { shellQuote } from './shell';

// The equivalent of an action by hand, as `aws …` and `kubectl …` lines. Pure and browser-safe: the plan preview
// (server) and the How-to-fix panel (browser) print the same lines. What the caller does not know yet (a suggested
// action's missing namespace, or which role to switch to) becomes a shell variable the user sets first.

/** What a command line needs beyond the params; a plan knows all of it, a finding's suggestion only some. */
export interface CommandFacts {
  /** The EKS cluster's region (adds `--region`). */
  region?: string;
  /** The cluster's name in EKS, when it differs from the console's name for it. */
  eksClusterName?: string;
  /** The kubeconfig context of the cluster (adds `--context`). */
  kubeContext?: string;
  /** The object's resourceVersion a patch is conditional on. */
  resourceVersion?: string;
  /** EKS's idempotency token, so a retried command does not create twice. */
  clientRequestToken?: string;
  /** The policy document a policy update writes. */
  policyDocument?: unknown;
  /** Roll-pods: the workloads to restart (a ReplicaSet's Deployment, not the ReplicaSet) and the pods to evict. */
  workloads?: { kind: string; name: string }[];
  evictedPods?: string[];
}

/** The browser-safe half of an action: its name and its commands. */
export interface ActionCommands<K extends ActionKind> {
  title: string;
  commands(params: Partial<ActionParams<K>>, facts: CommandFacts): string[];
}

/** A value for a command line: quoted, or the shell variable that must hold it, with a line that says so. */
export class CommandLine {
  readonly prelude: string[] = [];

  value(value: string | undefined, variable: string, meaning: string): string {
    if (value) return shellQuote(value);
    if (!this.prelude.some((line) => line.startsWith(`${variable}=`))) this.prelude.push(`${variable}=  # ${meaning}`);
    return `"$${variable}"`;
  }

  lines(...commands: string[]): string[] {
    return [...this.prelude, ...commands];
  }
}

/** `aws eks OPERATION --region … --cluster-name …`, the start of every association command. */
export function eksCommand(line: CommandLine, operation: string, params: { cluster?: string }, facts: CommandFacts): string {
  const clusterName = line.value(facts.eksClusterName ?? params.cluster, 'CLUSTER', 'the EKS cluster name');
  return `aws eks ${operation}${awsRegionFlag(facts)} --cluster-name ${clusterName}`;
}

const awsRegionFlag = (facts: CommandFacts): string => (facts.region ? ` --region ${shellQuote(facts.region)}` : '');
export const kubeContextFlag = (facts: CommandFacts): string => (facts.kubeContext ? ` --context ${shellQuote(facts.kubeContext)}` : '');

/** `kubectl annotate` for a service account, conditional on the resourceVersion read (actions 4 and 5). */
export function annotateServiceAccount(
  params: { namespace?: string; serviceAccount?: string },
  annotations: Record<string, string | null>,
  facts: CommandFacts,
): string[] {
  const line = new CommandLine();
  const namespace = line.value(params.namespace, 'NAMESPACE', 'the namespace of the service account');
  const serviceAccount = line.value(params.serviceAccount, 'SERVICE_ACCOUNT', 'the service account');
  const settings = Object.entries(annotations).map(([key, value]) => (value === null ? `${key}-` : `${key}=${shellQuote(value)}`));
  const resourceVersion = facts.resourceVersion ? ` --resource-version=${facts.resourceVersion}` : '';
  return line.lines(
    `kubectl${kubeContextFlag(facts)} -n ${namespace} annotate serviceaccount ${serviceAccount} --overwrite${resourceVersion} ${settings.join(' ')}`,
  );
}
