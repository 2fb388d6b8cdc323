import { isIdentityFinding, severityOf } from '@/lib/identity/catalog';
import type { Finding } from '@/lib/model/finding';
import type { SnapshotSource } from './types';

// SN006 (findings.md): snapshots are stale/failing and the workload that writes them has an identity finding
// of severity error (PI, IR, ID or PM: PM001 says the writer may not write there) — the cause shown next to the symptom. Only sources with a writer service account can be
// linked: K3s/RKE2 etcd snapshots are written by the k3s server with its own credentials (flags, shared file,
// instance role), not by a service account, unless a pod uploads them with its identity (an etcd source's
// `writer`, lib/snapshots/etcd-writers.ts). A Restate writer configured with static keys or a profile does
// not use its service account's identity either, so its identity findings are not the cause.

export function serviceAccountKey(cluster: string, namespace: string, serviceAccount: string): string {
  return `${cluster}/${namespace}/${serviceAccount}`;
}

/** PM codes say the identity works but may not write; PI/IR/ID codes say it cannot get credentials. */
function causePhrase(causes: Finding[]): string {
  const permission = causes.filter((cause) => cause.code.startsWith('PM')).length;
  if (permission === causes.length) return 'may not write them';
  if (permission === 0) return 'cannot get credentials';
  return 'cannot get credentials or may not write them';
}

/** Returns the sources with SN006 added where it fires; `identityFindingsBySa` is keyed "cluster/namespace/serviceAccount". */
export function linkSnapshotCauses(sources: SnapshotSource[], identityFindingsBySa: Map<string, Finding[]>): SnapshotSource[] {
  return sources.map((source) => {
    if (!source.writer) return source;
    if (source.state !== 'stale' && source.state !== 'failing') return source;
    if (source.kind === 'restate' && source.settings && source.settings.credentialSource !== 'default-chain') return source;
    const { cluster, namespace, serviceAccount } = source.writer;
    const causes = (identityFindingsBySa.get(serviceAccountKey(cluster, namespace, serviceAccount)) ?? []).filter(
      (finding) => finding.severity === 'error' && isIdentityFinding(finding.code),
    );
    if (causes.length === 0) return source;
    const symptoms = source.findings.filter((finding) => finding.code !== 'SN006');
    const link: Finding = {
      code: 'SN006',
      severity: severityOf('SN006'),
      subject: { kind: 'snapshot-source', source: source.source, ...(source.cluster ? { cluster: source.cluster } : {}) },
      title: `Snapshots of ${source.source} are ${source.state} and their writer ${namespace}/${serviceAccount} ${causePhrase(causes)} (${causes.map((cause) => cause.code).join(', ')})`,
      evidence: {
        source: source.source,
        state: source.state,
        symptoms: symptoms.map((finding) => ({ code: finding.code, title: finding.title })),
        writer: source.writer,
        causes: causes.map((finding) => ({ code: finding.code, severity: finding.severity, title: finding.title })),
      },
      action: { type: 'open-serviceaccount', params: { cluster, namespace, serviceAccount } },
    };
    return { ...source, findings: [...source.findings.filter((finding) => finding.code !== 'SN006'), link] };
  });
}
