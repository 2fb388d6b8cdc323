import type { ActionKind, ActionParams } from '@/lib/actions/schemas';

// Findings are data. Codes are an API (findings.md): never renumber, add new codes at the end of a group.

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export type FindingSubject =
  | { kind: 'serviceaccount'; cluster: string; namespace: string; name: string }
  | { kind: 'association'; cluster: string; associationId: string; namespace: string; serviceAccount: string }
  | { kind: 'cluster'; cluster: string }
  | { kind: 'role'; arn: string }
  | { kind: 'snapshot-source'; source: string; cluster?: string };

/**
 * What a finding suggests: a guided action with the params the rule knows (a rule may add context the action
 * does not take, e.g. the trusted role), or a link to the service account.
 */
export type SuggestedAction =
  | { [K in ActionKind]: { type: K; params: Partial<ActionParams<K>> & Record<string, unknown> } }[ActionKind]
  | { type: 'open-serviceaccount'; params: { cluster: string; namespace: string; serviceAccount: string } };

export interface Finding {
  code: string;
  severity: Severity;
  subject: FindingSubject;
  title: string;
  evidence: Record<string, unknown>;
  action?: SuggestedAction;
}
