// Reading IAM trust policies the way EKS and STS do, for the parts the simulator needs.

type Statement = Record<string, unknown>;

export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

/** The trust policy AWS documents for a Pod Identity role (AUG pod-id-role). */
export function podIdentityTrustPolicy(): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowEksAuthToAssumeRoleForPodIdentity',
        Effect: 'Allow',
        Principal: { Service: POD_IDENTITY_PRINCIPAL },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      },
    ],
  };
}

function statements(policy: Record<string, unknown>): Statement[] {
  const raw = policy.Statement;
  if (Array.isArray(raw)) return raw.filter((s): s is Statement => !!s && typeof s === 'object');
  if (raw && typeof raw === 'object') return [raw as Statement];
  return [];
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function actionMatches(patterns: string[], action: string): boolean {
  const lower = action.toLowerCase();
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    if (pattern === '*' || pattern === lower) return true;
    if (!pattern.includes('*')) return false;
    const re = new RegExp(
      `^${pattern
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return re.test(lower);
  });
}

function principalValues(statement: Statement, kind: 'Service' | 'AWS' | 'Federated'): string[] {
  const principal = statement.Principal;
  if (principal === '*') return ['*'];
  if (!principal || typeof principal !== 'object') return [];
  return asList((principal as Record<string, unknown>)[kind]);
}

/**
 * EKS accepts a role for an association only when an Allow statement lets the service principal
 * pods.eks.amazonaws.com call both sts:AssumeRole and sts:TagSession (AUG pod-id-role). Conditions are
 * not evaluated here: EKS validates the shape at create time, the conditions bite at credential time.
 */
export function trustsPodIdentity(policy: Record<string, unknown>): boolean {
  const allowed = statements(policy).filter(
    (s) => s.Effect === 'Allow' && principalValues(s, 'Service').some((p) => p === POD_IDENTITY_PRINCIPAL || p === '*'),
  );
  const actions = allowed.flatMap((s) => asList(s.Action));
  return actionMatches(actions, 'sts:AssumeRole') && actionMatches(actions, 'sts:TagSession');
}

export interface AssumeRoleCaller {
  account: string;
  /** arn:aws:iam::ACCOUNT:root, or the role ARN for a role session. */
  principalArns: string[];
  externalId?: string;
}

function conditionsHold(statement: Statement, caller: AssumeRoleCaller): boolean {
  const condition = statement.Condition;
  if (!condition || typeof condition !== 'object') return true;
  for (const [operator, tests] of Object.entries(condition as Record<string, Record<string, unknown>>)) {
    for (const [key, expected] of Object.entries(tests ?? {})) {
      const values = asList(expected);
      let actual: string | undefined;
      if (key.toLowerCase() === 'sts:externalid') actual = caller.externalId;
      else if (key.toLowerCase() === 'aws:principalaccount') actual = caller.account;
      else return false; // a key the simulator cannot supply: the condition does not match, as for a missing key
      if (actual === undefined) return false;
      if (operator === 'StringEquals' && !values.includes(actual)) return false;
      if (operator === 'StringLike' && !values.some((v) => actionMatches([v], actual))) return false;
      if (operator !== 'StringEquals' && operator !== 'StringLike') return false;
    }
  }
  return true;
}

/** Whether the role's trust policy lets this AWS principal call sts:AssumeRole (or another sts action; explicit Deny wins). */
export function trustAllowsAssumeRole(policy: Record<string, unknown>, caller: AssumeRoleCaller, action = 'sts:AssumeRole'): boolean {
  const matchesCaller = (s: Statement) =>
    principalValues(s, 'AWS').some(
      (p) =>
        p === '*' ||
        (caller.account !== '' && (p === caller.account || p === `arn:aws:iam::${caller.account}:root`)) ||
        caller.principalArns.includes(p),
    );
  const applicable = statements(policy).filter(
    (s) => actionMatches(asList(s.Action), action) && matchesCaller(s) && conditionsHold(s, caller),
  );
  if (applicable.some((s) => s.Effect === 'Deny')) return false;
  return applicable.some((s) => s.Effect === 'Allow');
}
