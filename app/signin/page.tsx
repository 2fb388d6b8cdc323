import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getSignInView } from '@/lib/auth/sign-in-view';
import { PageHeader, PageMain } from '@/components/shell/page-header';
import { DemoUsers, SignInPanel } from '@/components/signin/sign-in-panel';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = await searchParams;
  const single = (key: string) => (Array.isArray(raw[key]) ? raw[key][0] : raw[key]);
  const view = await getSignInView({ returnTo: single('returnTo'), error: single('error'), signedOut: single('signedOut') });
  if ('redirectTo' in view) redirect(view.redirectTo);
  return (
    <PageMain>
      <div className="mx-auto max-w-xl space-y-4 pt-6 max-md:pt-2">
        <PageHeader
          title="Sign in to the Workload Identity Console"
          description="Which AWS identity do these pods really get, and what is broken about it?"
        />
        <SignInPanel view={view} />
        <DemoUsers users={view.demoUsers} />
      </div>
    </PageMain>
  );
}
