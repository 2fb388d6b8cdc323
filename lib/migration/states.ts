// The migration states of a service account (api.md "Migration from IRSA to Pod Identity"), without imports so
// client components (the matrix filter) can use them.

export const MIGRATION_STATES = ['ready', 'blocked', 'in-progress', 'migrated', 'not-applicable'] as const;

export type MigrationState = (typeof MIGRATION_STATES)[number];

export const MIGRATION_STATE_LABEL: Record<MigrationState, string> = {
  ready: 'ready to migrate',
  blocked: 'migration blocked',
  'in-progress': 'migration in progress',
  migrated: 'migrated',
  'not-applicable': 'not on IRSA',
};

/** The audit trail's action type of a migration; its steps are recorded as "migration <step>". */
export const MIGRATION_ACTION_TYPE = 'migration';
