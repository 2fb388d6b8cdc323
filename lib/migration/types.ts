import { z } from 'zod';
import { clusterName, namespaceName, serviceAccountName } from '@/lib/actions/schemas';
import type { PlanStep, PreflightCheck } from '@/lib/actions/types';
import type { PolicyStatement } from '@/lib/model/cluster-state';
import type { MigrationReason } from './readiness';
import type { MigrationState } from './states';

// The shapes of api.md "Migration from IRSA to Pod Identity": the request, the plan, and a running migration.

export const migrationOptionsSchema = z.strictObject({
  restrictTrust: z.boolean().default(true),
  removeAnnotation: z.boolean().default(false),
  removeOidcTrust: z.boolean().default(false),
  roll: z.boolean().default(true),
  concurrency: z.number().int('a whole number').min(1, 'at least 1').max(20, 'at most 20').default(2),
  stopOnFailure: z.boolean().default(true),
});

export const migrationRequestSchema = z.strictObject({
  dryRun: z.boolean({ message: 'dryRun is true (plan only) or false (apply)' }),
  cluster: clusterName,
  /** Explicit service accounts, or every IRSA service account of these namespaces. */
  serviceAccounts: z
    .array(z.strictObject({ namespace: namespaceName, name: serviceAccountName }))
    .max(5000)
    .optional(),
  namespaces: z.array(namespaceName).max(500).optional(),
  options: migrationOptionsSchema.default({
    restrictTrust: true,
    removeAnnotation: false,
    removeOidcTrust: false,
    roll: true,
    concurrency: 2,
    stopOnFailure: true,
  }),
});

export type MigrationOptions = z.output<typeof migrationOptionsSchema>;
export type MigrationRequest = z.output<typeof migrationRequestSchema>;

export const STEP_NAMES = ['trust', 'associate', 'roll', 'remove-annotation', 'remove-oidc-trust'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export interface PlannedStep extends PlanStep {
  step: StepName;
  /** Already true as the console reads it now: the step will verify and move on without writing. */
  done?: boolean;
}

export interface PodAfterRoll {
  pod: string;
  /** What the pod will carry once replaced, or why it is not replaced. */
  gets: string;
}

export interface MigrationPlanItem {
  namespace: string;
  name: string;
  state: MigrationState;
  reasons: MigrationReason[];
  /** Skipped items (blocked, not-applicable, migrated) are listed and never changed. */
  skip?: string;
  roleArn?: string;
  steps: PlannedStep[];
  preflight: PreflightCheck[];
  podsAfterRoll: PodAfterRoll[];
  /** IaC ownership marks: the next apply may revert the change. */
  iacWarnings: string[];
  terraform?: string;
}

export interface MigrationPlan {
  cluster: string;
  options: MigrationOptions;
  items: MigrationPlanItem[];
  terraform: string;
  summary: { total: number; runnable: number; skipped: number; byState: Partial<Record<MigrationState, number>> };
}

export type MigrationStatus = 'running' | 'succeeded' | 'failed' | 'paused' | 'cancelled' | 'rolled-back' | 'unknown outcome';

export type ItemStatus =
  'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'unknown outcome' | 'rolling-back' | 'rolled-back';

/** What one step changed, so a rollback undoes exactly that. */
export type AppliedStep =
  | { step: 'trust'; roleArn: string; sid: string; added: boolean }
  | { step: 'associate'; associationId: string; created: boolean }
  | { step: 'roll'; rolled: boolean; pods: number }
  | { step: 'remove-annotation'; roleArn: string; removed: boolean }
  | { step: 'remove-oidc-trust'; roleArn: string; removed: PolicyStatement[] };

export interface MigrationItem {
  namespace: string;
  name: string;
  roleArn?: string;
  state: MigrationState;
  status: ItemStatus;
  skip?: string;
  /** The step running, or the last one reached. */
  step?: StepName | `undo ${StepName}`;
  applied: AppliedStep[];
  error?: string;
  /** Every step verified (Pod Identity env in the new pods) at this time. */
  verifiedAt?: string;
}

export interface MigrationRecord {
  id: string;
  actor: string;
  cluster: string;
  options: MigrationOptions;
  status: MigrationStatus;
  items: MigrationItem[];
  progress: { total: number; done: number; succeeded: number; failed: number; skipped: number; message: string };
  startedAt: string;
  updatedAt: string;
  /** A no-op run says so. */
  message?: string;
}
