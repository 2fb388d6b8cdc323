'use client';

import { RouteError } from '@/components/shell/route-error';

export default function SignInError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError title="The sign-in page could not be shown" error={error} reset={reset} />;
}
