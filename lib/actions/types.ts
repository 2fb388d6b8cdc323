import type { AuditTarget } from '@/lib/audit/audit-store';
import type { ActionKind } from './schemas';

// The shapes of api.md "Act": a plan (preflight checks, the exact requests, the equivalent commands) and the
// progress of an applied action.

export type PreflightStatus = 'pass' | 'warn' | 'fail';

export interface PreflightCheck {
  /** A stable name, e.g. "agent-addon", "trust-policy", "existing-association". */
  check: string;
  status: PreflightStatus;
  message: string;
  /** A failing check that `params.force` may override (api.md: "unless params.force is true and the check allows forcing"). */
  forcible?: boolean;
  /** A one-click way out, e.g. fix the trust policy first or update instead of create. */
  offer?: { label: string; type: ActionKind; params: Record<string, unknown> };
}

export interface PlannedRequest {
  service: 'eks' | 'iam' | 'kubernetes';
  /** The API operation, e.g. "CreatePodIdentityAssociation" or "PATCH serviceaccounts". */
  operation: string;
  method?: string;
  path?: string;
  body?: unknown;
}

export interface PlanStep {
  description: string;
  request: PlannedRequest;
  /** The same change by hand: an `aws …` or `kubectl …` command line. */
  cli: string;
}

export interface ActionPlan {
  type: ActionKind;
  params: Record<string, unknown>;
  /** Who and what it changes: what authorization and the audit record use. */
  targets: AuditTarget[];
  summary: string;
  preflight: PreflightCheck[];
  steps: PlanStep[];
  terraform?: string;
  /** Extra preview material, e.g. the trust policy's JSON diff or the pods a roll will replace. */
  preview?: {
    trustPolicyDiff?: string;
    /** fix-trust-policy: the fleet's service accounts (cluster/namespace/name) the trust policy lets assume the role, judged by lib/policy. */
    assumableBy?: { before: string[]; after: string[]; unknownBefore: string[]; unknownAfter: string[] };
    /** fix-trust-policy: the Sids of the scoped statements it adds (what the re-read must show). */
    addedSids?: string[];
    workloads?: RollWorkload[];
    barePods?: string[];
    jobPods?: string[];
    notes?: string[];
  };
  /** After this action, offer to roll the pods of this service account (issue 4: actions 1-5 lead to 6). */
  followUp?: { type: 'roll-pods'; params: { cluster: string; namespace: string; serviceAccount: string } };
}

export interface RollWorkload {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job';
  name: string;
  pods: string[];
}

export type ActionStatus = 'running' | 'succeeded' | 'failed' | 'stuck' | 'cancelled' | 'unknown outcome';

export interface ActionProgressReport {
  done: number;
  total: number;
  message: string;
  /** Roll-pods: new pods that carry the env the change should bring. */
  withExpectedEnv?: number;
  newPods?: number;
}

/** An error in words an on-call engineer can act on, with the raw error kept. */
export interface PlainError {
  status: number;
  code: string;
  message: string;
  /** The IAM action or RBAC verb the console lacks, when the error is an access denial. */
  missingPermission?: string;
  upstream?: { service: string; operation: string; code: string; message: string };
  /** e.g. a 409 on create: offer an update instead. */
  offer?: PreflightCheck['offer'];
}

export interface ActionRecord {
  id: string;
  type: ActionKind;
  params: Record<string, unknown>;
  actor: string;
  status: ActionStatus;
  startedAt: string;
  updatedAt: string;
  progress?: ActionProgressReport;
  result?: unknown;
  error?: PlainError;
  followUp?: ActionPlan['followUp'];
  targets: AuditTarget[];
}
