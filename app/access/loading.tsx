import { PageHeader, PageMain } from '@/components/shell/page-header';
import { TableSkeleton } from '@/components/shell/skeletons';

export default function AccessLoading() {
  return (
    <PageMain>
      <PageHeader title="Who can" />
      <TableSkeleton rows={4} label="Judging every service account" />
    </PageMain>
  );
}
