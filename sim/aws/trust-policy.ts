// Reading IAM trust policies the way EKS and STS do, for the parts the simulator needs.
import type { PolicyDocument } from '../world';
import { asList, conditionsHold, contextOf, statementsOf, wildcardMatch, type Statement } from './policy-evaluator';

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

const statements = (policy: Record<string, unknown>): Statement[] => statementsOf(policy as PolicyDocument);

/** Whether any of the Action patterns names the action (case-insensitive, wildcards). */
function actionMatches(patterns: string[], action: string): boolean {
  return patterns.some((pattern) => wildcardMatch(pattern, action, true));
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
  /** Session tags the call passes (aws:RequestTag/…, aws:TagKeys). */
  requestTags?: Record<string, string>;
}

function requestTagKeys(tags: Record<string, string> | undefined): Record<string, string | string[]> {
  if (!tags || Object.keys(tags).length === 0) return {};
  const keys: Record<string, string | string[]> = { 'aws:TagKeys': Object.keys(tags) };
  for (const [key, value] of Object.entries(tags)) keys[`aws:RequestTag/${key}`] = value;
  return keys;
}

/** The condition keys STS sees when an AWS principal calls AssumeRole/TagSession (IAM condition keys reference). */
function callerContext(caller: AssumeRoleCaller) {
  const roleArn = caller.principalArns.find((arn) => !arn.endsWith(':root'));
  return contextOf({
    'sts:ExternalId': caller.externalId,
    'aws:PrincipalAccount': caller.account || undefined,
    'aws:PrincipalArn': roleArn ?? caller.principalArns[0],
    'aws:PrincipalType': roleArn ? 'AssumedRole' : 'Account',
    ...requestTagKeys(caller.requestTags),
  });
}

/** Explicit Deny wins; otherwise an Allow among the statements that apply (IAM user guide, policy evaluation logic). */
function decideTrust(applicable: Statement[]): boolean {
  if (applicable.some((s) => s.Effect === 'Deny')) return false;
  return applicable.some((s) => s.Effect === 'Allow');
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
  const context = callerContext(caller);
  return decideTrust(
    statements(policy).filter((s) => actionMatches(asList(s.Action), action) && matchesCaller(s) && conditionsHold(s, context, false)),
  );
}

/** What EKS Pod Identity's service principal presents when it assumes an association's role (domain.md "Role trust policy"). */
export interface PodIdentityAssumeRequest {
  /** The cluster's account and ARN: aws:SourceAccount and aws:SourceArn. */
  sourceAccount: string;
  sourceArn: string;
  /** The six session tags, or none when the association disables them. */
  sessionTags?: Record<string, string>;
}

/**
 * Whether the trust policy lets pods.eks.amazonaws.com call `action` for this association, conditions included:
 * EKS checks only the shape at create time (trustsPodIdentity); the conditions bite when the agent asks for
 * credentials. A service principal carries no aws:PrincipalAccount or aws:PrincipalOrgID, so conditions on
 * them never match (domain.md "Role trust policy").
 */
export function podIdentityTrustAllows(policy: Record<string, unknown>, request: PodIdentityAssumeRequest, action: string): boolean {
  const context = contextOf({
    'aws:SourceAccount': request.sourceAccount,
    'aws:SourceArn': request.sourceArn,
    'aws:PrincipalServiceName': POD_IDENTITY_PRINCIPAL,
    ...requestTagKeys(request.sessionTags),
  });
  return decideTrust(
    statements(policy).filter(
      (s) =>
        actionMatches(asList(s.Action), action) &&
        (s.Principal === '*' || principalValues(s, 'Service').some((p) => p === POD_IDENTITY_PRINCIPAL || p === '*')) &&
        conditionsHold(s, context, false),
    ),
  );
}
