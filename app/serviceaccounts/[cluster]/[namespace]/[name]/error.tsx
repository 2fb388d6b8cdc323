'use client';

import { RouteError } from '@/components/shell/route-error';

export default function ServiceAccountError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError title="This service account could not be loaded" error={error} reset={reset} />;
}
