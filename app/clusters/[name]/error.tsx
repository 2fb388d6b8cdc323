'use client';

import { RouteError } from '@/components/shell/route-error';

export default function ClusterError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError title="This cluster could not be loaded" error={error} reset={reset} />;
}
