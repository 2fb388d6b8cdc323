import { asArray, policyStatements } from '@/lib/policy/policy-document';
import type { PolicyDocument } from '@/lib/model/cluster-state';
import type { PreflightCheck } from './types';

// The association's session `policy` in the create/update plans (domain.md §1a, §1d): the pods get only what
// both the role and this policy allow, and EKS refuses it while session tags are on.

function parsed(text: string): PolicyDocument | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as PolicyDocument) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether EKS holds the policy asked for: the same JSON (EKS may return it with other whitespace), or none for none. */
export function samePolicy(held: string | undefined, asked: string | null | undefined): boolean {
  if (asked === undefined) return true;
  if (!asked) return !held;
  if (!held) return false;
  const [a, b] = [parsed(held), parsed(asked)];
  return a && b ? JSON.stringify(a) === JSON.stringify(b) : held.trim() === asked.trim();
}

/** What the session policy means for the pods; a warning when it allows nothing, so the pods could do nothing. */
export function sessionPolicyCheck(text: string): PreflightCheck {
  const document = parsed(text);
  const allows = document ? policyStatements(document).filter((statement) => statement.Effect === 'Allow') : [];
  if (allows.length === 0)
    return {
      check: 'session-policy',
      status: 'warn',
      message:
        'The session policy has no Allow statement: the pods would be allowed nothing, whatever the role allows (a session policy only narrows).',
    };
  const actions = [
    ...new Set(
      allows.flatMap((statement) =>
        statement.NotAction !== undefined ? [`every action but ${asArray(statement.NotAction).join(', ')}`] : asArray(statement.Action),
      ),
    ),
  ];
  return {
    check: 'session-policy',
    status: 'pass',
    message: `The pods will get only what both the role and this session policy allow (${actions.slice(0, 6).join(', ')}${actions.length > 6 ? ', …' : ''}). Session tags are off with it, so policies that test the EKS session tags will not match.`,
  };
}
