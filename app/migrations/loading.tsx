import { PageHeader, PageMain } from '@/components/shell/page-header';
import { TableSkeleton } from '@/components/shell/skeletons';

export default function MigrationsLoading() {
  return (
    <PageMain>
      <PageHeader title="Move to Pod Identity" description="Reading the service accounts' readiness and planning the steps." />
      <TableSkeleton rows={4} label="Planning the migration" />
    </PageMain>
  );
}
