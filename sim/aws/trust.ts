// The simulator's own reading of trust policies: just enough to behave like EKS and STS when they check a
// role. (The product has its own evaluator in lib/; the two are kept apart on purpose.)

type Statement = { Effect?: string; Principal?: unknown; Action?: unknown; NotAction?: unknown; Condition?: unknown };

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function actionMatches(patterns: string[], action: string): boolean {
  return patterns.some((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(action));
}

function statements(policy: Record<string, unknown>): Statement[] {
  const s = policy.Statement;
  return (Array.isArray(s) ? s : s ? [s] : []) as Statement[];
}

function principalMatches(principal: unknown, kind: 'Service' | 'AWS', candidates: string[]): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const values = list((principal as Record<string, unknown>)[kind]);
  return values.some((v) => v === '*' || candidates.includes(v));
}

/** Does some Allow statement (without conditions we can't satisfy) grant every action to this principal? */
export function trustAllows(
  policy: Record<string, unknown>,
  principal: { kind: 'Service' | 'AWS'; candidates: string[] },
  actions: string[],
  conditionsIgnored = true,
): boolean {
  const relevant = statements(policy).filter((st) => principalMatches(st.Principal, principal.kind, principal.candidates));
  const denied = relevant.some((st) => st.Effect === 'Deny' && actions.some((a) => actionMatches(list(st.Action), a)));
  if (denied) return false;
  return actions.every((action) =>
    relevant.some((st) => st.Effect === 'Allow' && (conditionsIgnored || !st.Condition) && st.Action !== undefined && actionMatches(list(st.Action), action)),
  );
}
