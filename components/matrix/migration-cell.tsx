import Link from 'next/link';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { MIGRATION_STATE_LABEL, type MigrationState } from '@/lib/migration/states';
import { Absent } from './identity-cells';

const STYLE: Record<MigrationState, string> = {
  ready: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  blocked: 'bg-red-50 text-red-700 ring-red-600/25',
  'in-progress': 'bg-amber-50 text-amber-800 ring-amber-600/30',
  migrated: 'bg-violet-50 text-violet-700 ring-violet-600/20',
  'not-applicable': 'bg-neutral-100 text-neutral-600 ring-neutral-500/20',
};

const SHORT: Record<MigrationState, string> = {
  ready: 'ready',
  blocked: 'blocked',
  'in-progress': 'in progress',
  migrated: 'migrated',
  'not-applicable': '',
};

/** IRSA → Pod Identity readiness: the state, and for a blocked one the reason codes (their messages on hover). */
export function MigrationCell({ row }: { row: ServiceAccountRow }) {
  const migration = row.migration;
  if (!migration || migration.state === 'not-applicable') return <Absent />;
  const title = migration.reasons.length
    ? migration.reasons.map((reason) => `${reason.code}: ${reason.message}`).join('\n')
    : MIGRATION_STATE_LABEL[migration.state];
  const badge = (
    <span
      title={title}
      data-migration-state={migration.state}
      className={`inline-flex items-center rounded px-1.5 py-px text-[11px] font-medium whitespace-nowrap ring-1 ring-inset ${STYLE[migration.state]}`}
    >
      {SHORT[migration.state]}
    </span>
  );
  return (
    <div className="flex flex-wrap items-center gap-1">
      {migration.state === 'ready' ? (
        <Link
          prefetch={false}
          href={`/migrations?cluster=${encodeURIComponent(row.cluster)}&namespace=${encodeURIComponent(row.namespace)}`}
          className="hover:underline"
        >
          {badge}
        </Link>
      ) : (
        badge
      )}
      {migration.state === 'blocked' &&
        migration.reasons.map((reason) => (
          <span key={reason.code} title={reason.message} className="font-mono text-[10.5px] text-red-700">
            {reason.code}
          </span>
        ))}
    </div>
  );
}
