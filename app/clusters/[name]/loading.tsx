import { PageMain } from '@/components/shell/page-header';
import { BlockSkeleton } from '@/components/shell/skeletons';

export default function ClusterLoading() {
  return (
    <PageMain>
      <div className="h-12 w-72 animate-pulse rounded bg-neutral-100" aria-hidden="true" />
      <BlockSkeleton lines={4} label="Loading the cluster" />
    </PageMain>
  );
}
