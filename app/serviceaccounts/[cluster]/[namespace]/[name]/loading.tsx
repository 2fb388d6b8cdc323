import { PageMain } from '@/components/shell/page-header';
import { BlockSkeleton, TableSkeleton } from '@/components/shell/skeletons';

export default function ServiceAccountLoading() {
  return (
    <PageMain>
      <div className="h-12 w-80 animate-pulse rounded bg-neutral-100" aria-hidden="true" />
      <BlockSkeleton lines={6} label="Loading the service account" />
      <TableSkeleton rows={3} label="Loading pods" />
    </PageMain>
  );
}
