import type { ActionType, SuggestedAction } from '@/lib/model/finding';
import type { PodDetail } from '@/lib/model/identity-row';
import { roleNameFromArn } from './format';

// "How to fix" by hand: the kubectl/aws commands equivalent to a finding's suggested action, until the guided
// actions (issue 4) run them for the user. Values come from the action's params; what the params cannot know
// (which role to switch to) is a shell variable the user sets first, named for what it must hold.

export const ACTION_NAMES: Record<ActionType, string> = {
  'create-association': 'Create a Pod Identity association',
  'update-association': 'Update the association',
  'delete-association': 'Delete the association',
  'fix-trust-policy': 'Add the Pod Identity statement to the trust policy',
  'set-sts-regional-endpoints': 'Set the STS regional endpoints annotation',
  'remove-irsa-annotation': 'Remove the IRSA annotation',
  'roll-pods': 'Restart the pods so the webhook injects the new env',
  'open-serviceaccount': 'Open the service account',
};

export interface FixContext {
  region?: string;
  /** The pods of the service account, to name the workloads a restart must roll. */
  pods?: PodDetail[];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** Shell-quotes a value unless it is plainly safe (ARNs, names). */
function q(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}

function regionFlag(context: FixContext): string {
  return context.region ? ` --region ${context.region}` : '';
}

/** Deployment pods are owned by a ReplicaSet named "<deployment>-<pod-template-hash>"; restart the Deployment. */
export function workloadsToRestart(pods: PodDetail[]): { kind: string; name: string }[] {
  const seen = new Map<string, { kind: string; name: string }>();
  for (const pod of pods) {
    if (!pod.owner) continue;
    const owner =
      pod.owner.kind === 'ReplicaSet' && /-[a-z0-9]{5,10}$/.test(pod.owner.name)
        ? { kind: 'Deployment', name: pod.owner.name.replace(/-[a-z0-9]{5,10}$/, '') }
        : pod.owner;
    if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(owner.kind)) seen.set(`${owner.kind}/${owner.name}`, owner);
  }
  return [...seen.values()];
}

export function fixCommands(action: SuggestedAction, context: FixContext = {}): string[] {
  const p = action.params;
  const cluster = text(p.cluster);
  const namespace = text(p.namespace);
  const serviceAccount = text(p.serviceAccount);
  const roleArn = text(p.roleArn);
  const associationId = text(p.associationId);
  const r = regionFlag(context);
  switch (action.type) {
    case 'roll-pods': {
      const workloads = workloadsToRestart(context.pods ?? []);
      if (workloads.length && namespace)
        return workloads.map((w) => `kubectl -n ${q(namespace)} rollout restart ${w.kind.toLowerCase()}/${q(w.name)}`);
      return [
        `kubectl -n ${q(namespace ?? '')} get pods --field-selector spec.serviceAccountName=${q(serviceAccount ?? '')} -o custom-columns=POD:.metadata.name,OWNER-KIND:.metadata.ownerReferences[0].kind,OWNER:.metadata.ownerReferences[0].name`,
        `kubectl -n ${q(namespace ?? '')} rollout restart deployment/"$DEPLOYMENT"`,
      ];
    }
    case 'fix-trust-policy': {
      const roleName = roleNameFromArn(roleArn) ?? '"$ROLE_NAME"';
      return [
        `aws iam get-role --role-name ${roleName} --query Role.AssumeRolePolicyDocument > trust-policy.json`,
        `# add to "Statement": {"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}`,
        `aws iam update-assume-role-policy --role-name ${roleName} --policy-document file://trust-policy.json`,
      ];
    }
    case 'set-sts-regional-endpoints': {
      const value = p.value === null || p.value === undefined ? null : String(p.value);
      const annotation =
        value === null ? 'eks.amazonaws.com/sts-regional-endpoints-' : `eks.amazonaws.com/sts-regional-endpoints=${q(value)} --overwrite`;
      return [
        `kubectl -n ${q(namespace ?? '')} annotate serviceaccount ${q(serviceAccount ?? '')} ${annotation}`,
        '# then restart the pods: the webhook sets AWS_STS_REGIONAL_ENDPOINTS at admission',
      ];
    }
    case 'remove-irsa-annotation':
      return [
        `kubectl -n ${q(namespace ?? '')} annotate serviceaccount ${q(serviceAccount ?? '')} eks.amazonaws.com/role-arn-`,
        '# then restart the pods so they drop the web-identity env',
      ];
    case 'delete-association':
      return [`aws eks delete-pod-identity-association --cluster-name ${q(cluster ?? '')} --association-id ${q(associationId ?? '')}${r}`];
    case 'update-association':
      return [
        'ROLE_ARN=  # an existing role that trusts pods.eks.amazonaws.com',
        `aws eks update-pod-identity-association --cluster-name ${q(cluster ?? '')} --association-id ${q(associationId ?? '')} --role-arn "$ROLE_ARN"${r}`,
      ];
    case 'create-association': {
      const ns = namespace ? q(namespace) : '"$NAMESPACE"';
      const sa = serviceAccount ? q(serviceAccount) : '"$SERVICE_ACCOUNT"';
      const prelude = [
        ...(namespace ? [] : ['NAMESPACE=  # the namespace of the workload']),
        ...(serviceAccount ? [] : ['SERVICE_ACCOUNT=  # its service account']),
      ];
      return [
        ...prelude,
        `aws eks create-pod-identity-association --cluster-name ${q(cluster ?? '')} --namespace ${ns} --service-account ${sa} --role-arn ${roleArn ? q(roleArn) : '"$ROLE_ARN"'}${r}`,
      ];
    }
    case 'open-serviceaccount':
      return [];
  }
}
