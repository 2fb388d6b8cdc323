'use client';

import { RouteError } from '@/components/shell/route-error';

export default function SnapshotsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError title="The snapshot sources could not be loaded" error={error} reset={reset} />;
}
