import type { Finding, Severity } from '@/lib/model/finding';
import type { SnapshotSource } from '@/lib/snapshots/types';

// The snapshots page's vocabulary without zod, so client components can use it without shipping the parser.

export const SNAPSHOT_STATES = ['fresh', 'stale', 'failing', 'unreadable'] as const;
export const SNAPSHOT_KINDS = ['restate', 'etcd'] as const;

/** The writer's service account row, as much as the snapshots page shows of it. */
export interface WriterIdentity {
  mechanism: string;
  worstSeverity: Severity | null;
  findings: Finding[];
}

export type SnapshotItem = SnapshotSource & { writerIdentity?: WriterIdentity };

/** Where a source is on the snapshots page, for links from the matrix. */
export function snapshotAnchor(source: string): string {
  return `source-${source.replaceAll(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}
