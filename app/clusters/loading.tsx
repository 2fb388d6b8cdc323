import { PageHeader, PageMain } from '@/components/shell/page-header';
import { TableSkeleton } from '@/components/shell/skeletons';

export default function ClustersLoading() {
  return (
    <PageMain>
      <PageHeader title="Clusters" description="Pod Identity and IRSA posture of every configured cluster." />
      <TableSkeleton rows={5} label="Loading clusters" />
    </PageMain>
  );
}
