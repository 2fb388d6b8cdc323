'use client';

import { RouteError } from '@/components/shell/route-error';

export default function MigrationsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError title="The migration could not be planned or shown" error={error} reset={reset} />;
}
