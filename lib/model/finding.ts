// Findings are data. Codes are an API (findings.md): never renumber, add new codes at the end of a group.

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export type FindingSubject =
  | { kind: 'serviceaccount'; cluster: string; namespace: string; name: string }
  | { kind: 'association'; cluster: string; associationId: string; namespace: string; serviceAccount: string }
  | { kind: 'cluster'; cluster: string }
  | { kind: 'role'; arn: string }
  | { kind: 'snapshot-source'; source: string; cluster?: string };

export type ActionType =
  | 'create-association'
  | 'update-association'
  | 'delete-association'
  | 'fix-trust-policy'
  | 'set-sts-regional-endpoints'
  | 'remove-irsa-annotation'
  | 'roll-pods'
  | 'open-serviceaccount';

export interface SuggestedAction {
  type: ActionType;
  params: Record<string, unknown>;
}

export interface Finding {
  code: string;
  severity: Severity;
  subject: FindingSubject;
  title: string;
  evidence: Record<string, unknown>;
  action?: SuggestedAction;
}
