import { RouteNotFound } from '@/components/shell/route-error';

export default function NotFound() {
  return <RouteNotFound title="Not found" message="There is no page at this address." backHref="/" backLabel="Service accounts" />;
}
