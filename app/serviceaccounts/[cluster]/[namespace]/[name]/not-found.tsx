import { RouteNotFound } from '@/components/shell/route-error';
import { ScopeSummaryLine } from '@/components/shell/scope-summary-line';

export default function ServiceAccountNotFound() {
  return (
    <RouteNotFound
      title="Service account not found"
      message="No service account you may see is at this address."
      backHref="/"
      backLabel="All service accounts"
    >
      <ScopeSummaryLine thing="service account" />
    </RouteNotFound>
  );
}
