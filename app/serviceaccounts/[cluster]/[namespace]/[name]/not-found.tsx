import { RouteNotFound } from '@/components/shell/route-error';

export default function ServiceAccountNotFound() {
  return (
    <RouteNotFound
      title="Service account not found"
      message="No configured cluster has this service account, or it is outside your scope."
      backHref="/"
      backLabel="All service accounts"
    />
  );
}
