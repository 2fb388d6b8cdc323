import { RouteNotFound } from '@/components/shell/route-error';

export default function SnapshotsNotFound() {
  return (
    <RouteNotFound
      title="Not found"
      message="This page does not exist, or it is outside your scope."
      backHref="/snapshots"
      backLabel="All snapshot sources"
    />
  );
}
