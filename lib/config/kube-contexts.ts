import 'server-only';
import * as k8s from '@kubernetes/client-node';

// Zero config: every context of the current kubeconfig (KUBECONFIG) is a cluster. An EKS context named by
// its cluster ARN (as `aws eks update-kubeconfig` names it) gives the region, account and EKS name; the
// display name is the EKS name, else the context name.

export interface ClusterTarget {
  name: string;
  context: string;
  eks?: { name: string; region: string; account: string };
}

const EKS_ARN = /^arn:aws[\w-]*:eks:([a-z0-9-]+):(\d{12}):cluster\/(.+)$/;

function eksFromContext(kc: k8s.KubeConfig, context: k8s.Context): ClusterTarget['eks'] {
  for (const candidate of [context.cluster, context.name]) {
    const match = EKS_ARN.exec(candidate ?? '');
    if (match) return { region: match[1], account: match[2], name: match[3] };
  }
  // `aws eks get-token --cluster-name NAME --region REGION` in the user's exec args.
  const user = kc.getUser(context.user);
  const args = user?.exec?.args ?? [];
  const at = (flag: string) => {
    const index = args.indexOf(flag);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const name = at('--cluster-name') ?? at('--cluster-id');
  const region = at('--region');
  if (name && region) return { name, region, account: '' };
  return undefined;
}

export function loadKubeConfig(): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault();
  return kc;
}

export function clusterTargets(kc: k8s.KubeConfig = loadKubeConfig()): ClusterTarget[] {
  return kc.getContexts().map((context) => {
    const eks = eksFromContext(kc, context);
    return { name: eks?.name ?? context.name, context: context.name, ...(eks ? { eks } : {}) };
  });
}
