import type { AccessQuery } from '@/lib/policy/iam-evaluator';
import { parseS3Url } from '@/lib/snapshots/destination';
import { discoverEtcdS3Writers } from '@/lib/snapshots/etcd-writers';
import { discoverRestateWriters } from '@/lib/snapshots/restate-discovery';
import type { ServiceAccountContext } from './identity-context';

// What a workload is known to need (findings.md PM001): a Restate snapshot writer that uses its service
// account's identity needs s3:PutObject and s3:GetObject on arn:aws:s3:::BUCKET/PREFIX/* and s3:ListBucket on
// arn:aws:s3:::BUCKET for s3:prefix = PREFIX/ (Restate's object store writes latest.json and snapshot files,
// reads latest.json back and lists the prefix). A K3s/RKE2 etcd snapshot upload run in a pod with its pod's
// identity (lib/snapshots/etcd-writers.ts) needs the same on its bucket and folder.

export interface KnownNeed extends AccessQuery {
  /** Why the workload needs it, e.g. "Restate snapshots to s3://bucket/prefix". */
  why: string;
}

export function s3WriterNeeds(url: string, why: string): KnownNeed[] {
  const location = parseS3Url(url);
  if (!location) return [];
  const prefix = location.prefix ? `${location.prefix}/` : '';
  const objects = `arn:aws:s3:::${location.bucket}/${prefix}*`;
  return [
    { action: 's3:PutObject', resource: objects, why },
    { action: 's3:GetObject', resource: objects, why },
    { action: 's3:ListBucket', resource: `arn:aws:s3:::${location.bucket}`, context: { 's3:prefix': prefix }, why },
  ];
}

// Discovery scans every workload of a cluster: done once per collected cluster, not once per service account.
const needsByCluster = new WeakMap<object, Map<string, KnownNeed[]>>();

/** The known needs of one service account: the Restate writers and etcd uploads that run as it with the default credential chain. */
export function knownNeedsOf(ctx: ServiceAccountContext): KnownNeed[] {
  let bySa = needsByCluster.get(ctx.cluster.state);
  if (!bySa) {
    bySa = new Map();
    for (const writer of discoverRestateWriters(ctx.cluster.state)) {
      if (writer.settings.credentialSource !== 'default-chain') continue;
      const url = writer.settings.destination?.value;
      if (!url) continue;
      const key = `${writer.writer.namespace}/${writer.writer.serviceAccount}`;
      bySa.set(key, [...(bySa.get(key) ?? []), ...s3WriterNeeds(url, `Restate snapshots to ${url}`)]);
    }
    for (const writer of discoverEtcdS3Writers(ctx.cluster.state)) {
      const key = `${writer.namespace}/${writer.serviceAccount}`;
      const why = `etcd snapshots to ${writer.destination} (${writer.workload})`;
      bySa.set(key, [...(bySa.get(key) ?? []), ...s3WriterNeeds(writer.destination, why)]);
    }
    needsByCluster.set(ctx.cluster.state, bySa);
  }
  return bySa.get(`${ctx.namespace}/${ctx.name}`) ?? [];
}
