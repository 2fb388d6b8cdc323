import type { AuditTarget } from '@/lib/audit/audit-store';

/** The service account an action is about, as its params name it. */
export function serviceAccountOf(params: { cluster: string; namespace: string; serviceAccount: string }) {
  return { cluster: params.cluster, namespace: params.namespace, serviceAccount: params.serviceAccount };
}

/** Whom an action on one service account is authorized against: that service account. */
export function serviceAccountTargets(params: { cluster: string; namespace: string; serviceAccount: string }): AuditTarget[] {
  return [serviceAccountOf(params)];
}
