import { PageHeader, PageMain } from '@/components/shell/page-header';
import { BlockSkeleton } from '@/components/shell/skeletons';

export default function ActivityLoading() {
  return (
    <PageMain>
      <PageHeader title="Activity" description="Every action, preview, refusal and sign-in, newest first." />
      <BlockSkeleton lines={8} label="Reading the audit trail" />
    </PageMain>
  );
}
