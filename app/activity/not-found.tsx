import { RouteNotFound } from '@/components/shell/route-error';

export default function ActivityNotFound() {
  return (
    <RouteNotFound
      title="Not found"
      message="This page does not exist, or it is outside your scope."
      backHref="/activity"
      backLabel="All activity"
    />
  );
}
