'use client';

import { RouteError } from '@/components/shell/route-error';

export default function ClustersError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError title="The clusters could not be loaded" error={error} reset={reset} />;
}
