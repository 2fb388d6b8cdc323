import { PageHeader, PageMain } from '@/components/shell/page-header';
import { BlockSkeleton } from '@/components/shell/skeletons';

export default function SignInLoading() {
  return (
    <PageMain>
      <div className="mx-auto max-w-xl space-y-4 pt-6 max-md:pt-2">
        <PageHeader title="Sign in to the Workload Identity Console" />
        <BlockSkeleton lines={2} label="Loading the sign-in page" />
      </div>
    </PageMain>
  );
}
