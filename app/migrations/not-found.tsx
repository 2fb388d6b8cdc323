import { RouteNotFound } from '@/components/shell/route-error';

export default function MigrationsNotFound() {
  return (
    <RouteNotFound
      title="Migration not found"
      message="There is no such migration, or none of its service accounts is in your scope."
      backHref="/migrations"
      backLabel="Move to Pod Identity"
    />
  );
}
