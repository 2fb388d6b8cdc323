'use client';

import { RouteError } from '@/components/shell/route-error';

export default function ActivityError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError title="The activity could not be loaded" error={error} reset={reset} />;
}
