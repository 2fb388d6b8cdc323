import type { Finding, FindingSubject, SuggestedAction } from '@/lib/model/finding';
import type { PodIdentityAssociation } from '@/lib/model/cluster-state';
import { severityOf } from './catalog';
import type { ClusterContext, PodFacts, ServiceAccountContext } from './identity-context';

// The shapes every rule shares: a rule is a small pure function over one context, registered in rules/index.ts.

export interface ServiceAccountRule {
  code: string;
  scope: 'serviceaccount';
  evaluate(ctx: ServiceAccountContext): Finding[];
}

export interface ClusterRule {
  code: string;
  scope: 'cluster';
  evaluate(ctx: ClusterContext): Finding[];
}

export type IdentityRule = ServiceAccountRule | ClusterRule;

export function makeFinding(
  code: string,
  subject: FindingSubject,
  title: string,
  evidence: Record<string, unknown>,
  action?: SuggestedAction,
): Finding {
  const finding: Finding = { code, severity: severityOf(code), subject, title, evidence };
  if (action) finding.action = action;
  return finding;
}

export function serviceAccountSubject(ctx: ServiceAccountContext): FindingSubject {
  return { kind: 'serviceaccount', cluster: ctx.cluster.name, namespace: ctx.namespace, name: ctx.name };
}

export function associationSubject(cluster: string, a: PodIdentityAssociation): FindingSubject {
  return { kind: 'association', cluster, associationId: a.associationId, namespace: a.namespace, serviceAccount: a.serviceAccount };
}

export function rollPodsAction(ctx: ServiceAccountContext): SuggestedAction {
  return { type: 'roll-pods', params: { cluster: ctx.cluster.name, namespace: ctx.namespace, serviceAccount: ctx.name } };
}

/** A pod as evidence: where it runs, when it started, and (given a change time) whether it predates the change. */
export function podEvidence(p: PodFacts, changedAt?: string | null): Record<string, unknown> {
  const e: Record<string, unknown> = {
    pod: p.name,
    node: p.nodeName,
    phase: p.pod.status?.phase ?? null,
    startTime: p.startTime,
    owner: p.owner ? `${p.owner.kind}/${p.owner.name}` : null,
  };
  if (changedAt !== undefined) e.startedBeforeChange = startedBefore(p.startTime, changedAt);
  return e;
}

/** true/false when both times are known, else null. */
export function startedBefore(startTime: string | null, changedAt: string | null | undefined): boolean | null {
  if (!startTime || !changedAt) return null;
  const s = Date.parse(startTime);
  const c = Date.parse(changedAt);
  if (Number.isNaN(s) || Number.isNaN(c)) return null;
  return s < c;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function shortList(items: string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
