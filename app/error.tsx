'use client';

import { RouteError } from '@/components/shell/route-error';

export default function ServiceAccountsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError title="The service accounts could not be loaded" error={error} reset={reset} />;
}
