import { PageHeader, PageMain } from '@/components/shell/page-header';
import { TableSkeleton } from '@/components/shell/skeletons';

export default function ServiceAccountsLoading() {
  return (
    <PageMain>
      <PageHeader
        title="Service accounts"
        description="Which AWS identity every service account's pods really get, and what is broken about it."
      />
      <div className="h-8" />
      <TableSkeleton label="Loading service accounts" />
    </PageMain>
  );
}
