import { RouteNotFound } from '@/components/shell/route-error';

export default function ClusterNotFound() {
  return (
    <RouteNotFound
      title="Cluster not found"
      message="No configured cluster has this name, or it is outside your scope."
      backHref="/clusters"
      backLabel="All clusters"
    />
  );
}
