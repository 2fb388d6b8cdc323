import type { OneOrMany, PolicyDocument, PolicyStatement } from '@/lib/model/cluster-state';

// The shapes of an IAM policy document (IAM JSON policy reference, "Grammar"): Statement, Action, Resource,
// Principal values and condition values may each be one value or a list. Every reader normalizes here.

/** One value or a list, as a list; absent is the empty list. */
export function asArray<T>(value: OneOrMany<T> | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A document's statements as a list (a lone statement object is allowed by the grammar). */
export function policyStatements(policy: PolicyDocument): PolicyStatement[] {
  return asArray(policy.Statement);
}
