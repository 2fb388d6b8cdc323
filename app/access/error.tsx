'use client';

import { RouteError } from '@/components/shell/route-error';

export default function AccessError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError title="The question could not be answered" error={error} reset={reset} />;
}
