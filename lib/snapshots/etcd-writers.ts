import type { ClusterState } from '@/lib/model/cluster-state';
import type { Container, PodTemplate, Workload } from '@/lib/model/kube-objects';

// K3s/RKE2 etcd snapshot uploads that run in a pod, and so with that pod's workload identity (findings.md PM001:
// "a K3s/RKE2 etcd snapshot writer with S3 credentials from a workload identity"): a Job, CronJob or other workload
// whose container runs `k3s etcd-snapshot save --s3 …` (or `rke2 etcd-snapshot …`, where `save` is the default
// subcommand). The server's own scheduled snapshots use the server's credentials (flags, shared file, instance
// role; domain.md §2b), not a service account, so they are not found here. A container that passes keys
// (`--s3-access-key`, `AWS_ACCESS_KEY_ID`) or a config secret (`--s3-config-secret`) does not use its pod's
// identity either. The flags have an `--etcd-` prefixed alias each (K3s CLI reference, etcd-snapshot).

export interface EtcdS3Writer {
  namespace: string;
  serviceAccount: string;
  /** The workload that runs the upload, e.g. "CronJob kube-system/etcd-backup". */
  workload: string;
  /** s3://bucket[/folder] */
  destination: string;
}

function flagValue(tokens: string[], name: string): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    for (const flag of [`--${name}`, `--etcd-${name}`]) {
      if (tokens[i] === flag) return tokens[i + 1];
      if (tokens[i].startsWith(`${flag}=`)) return tokens[i].slice(flag.length + 1);
    }
  }
  return undefined;
}

const hasFlag = (tokens: string[], name: string) =>
  tokens.some((token) => [`--${name}`, `--etcd-${name}`].some((flag) => token === flag || token.startsWith(`${flag}=`)));

/** The command line's words; a `sh -c "…"` script is split on whitespace (no shell quoting). */
function tokensOf(container: Container): string[] {
  const words = [container.command, container.args].flatMap((list) => (Array.isArray(list) ? list.map(String) : []));
  return words.flatMap((word) => word.split(/\s+/)).filter((word) => word !== '');
}

function templateOf(workload: Workload): PodTemplate | undefined {
  if (workload.kind === 'CronJob') {
    const jobTemplate = workload.spec?.jobTemplate as { spec?: { template?: PodTemplate } } | undefined;
    return jobTemplate?.spec?.template;
  }
  return workload.spec?.template;
}

function uploadOf(container: Container): string | null {
  const tokens = tokensOf(container);
  const at = tokens.findIndex((token) => token === 'etcd-snapshot');
  if (at < 0 || !/(^|\/)(k3s|rke2)$/.test(tokens[at - 1] ?? '')) return null;
  const rest = tokens.slice(at + 1);
  // `save` is the default subcommand; delete, list, prune and ls do not upload.
  if (rest[0] && !rest[0].startsWith('-') && rest[0] !== 'save') return null;
  const s3 = rest.includes('--s3') || rest.includes('--etcd-s3') || rest.some((t) => /^--(etcd-)?s3=true$/.test(t));
  const bucket = flagValue(rest, 's3-bucket');
  if (!s3 || !bucket) return null;
  if (hasFlag(rest, 's3-access-key') || hasFlag(rest, 's3-config-secret')) return null;
  if ((container.env ?? []).some((env) => env.name === 'AWS_ACCESS_KEY_ID')) return null;
  const folder = (flagValue(rest, 's3-folder') ?? '').replace(/^\/+|\/+$/g, '');
  return `s3://${bucket}${folder ? `/${folder}` : ''}`;
}

/** Every etcd snapshot upload to S3 that runs with its pod's workload identity, in the cluster's workloads. */
export function discoverEtcdS3Writers(cluster: ClusterState): EtcdS3Writer[] {
  const found: EtcdS3Writer[] = [];
  for (const workload of cluster.kube.workloads ?? []) {
    // A ReplicaSet's or Job's pods belong to the Deployment or CronJob that owns it, found on its own.
    if (workload.metadata.ownerReferences?.some((owner) => owner.kind === 'Deployment' || owner.kind === 'CronJob')) continue;
    const template = templateOf(workload);
    if (!template) continue;
    for (const container of [...(template.spec.initContainers ?? []), ...template.spec.containers]) {
      const destination = uploadOf(container as Container);
      if (!destination) continue;
      const namespace = workload.metadata.namespace ?? 'default';
      found.push({
        namespace,
        serviceAccount: template.spec.serviceAccountName ?? 'default',
        workload: `${workload.kind} ${namespace}/${workload.metadata.name}`,
        destination,
      });
    }
  }
  return found;
}
