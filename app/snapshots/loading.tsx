import { PageHeader, PageMain } from '@/components/shell/page-header';
import { TableSkeleton } from '@/components/shell/skeletons';

export default function SnapshotsLoading() {
  return (
    <PageMain>
      <PageHeader
        title="Snapshots"
        description="Freshness of Restate partition snapshots and K3s/RKE2 etcd snapshots, next to the identity of what writes them."
      />
      <TableSkeleton rows={4} label="Reading snapshot destinations" />
    </PageMain>
  );
}
