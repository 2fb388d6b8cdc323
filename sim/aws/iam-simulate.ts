import type { PolicyDocument } from '../world';
import { findRole, findUser } from './iam-entities';
import {
  decide,
  type Decision,
  type EvaluationNotes,
  type MatchedStatement,
  type NamedPolicy,
  type PrincipalPolicies,
  type RequestContext,
} from './policy-evaluator';
import { principalPolicies } from './principals';
import { AwsError, el, xmlEscape, type AwsRequest } from './protocol';
import { requireParam } from './query-protocol';

// iam:SimulatePrincipalPolicy (IAM API reference) answered by the same evaluation that guards every simulated call:
// the role's or user's identity policies and permissions boundary, PolicyInputList as extra identity policies,
// PermissionsBoundaryPolicyInputList in place of the boundary, ResourcePolicy with ResourceOwner/CallerArn for the
// cross-account rules, and ContextEntries as the only condition keys (the simulator fills in none of its own, so
// keys the policies need and the request lacks come back in MissingContextValues). Session policies cannot be
// simulated, as in AWS.

function members(form: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (let n = 1; form.has(`${name}.member.${n}`); n++) out.push(form.get(`${name}.member.${n}`)!);
  return out;
}

function parseInputPolicy(text: string, param: string): PolicyDocument {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as PolicyDocument;
  } catch {
    // reported below
  }
  throw new AwsError(400, 'MalformedPolicyDocument', `${param}: This policy contains invalid Json`);
}

function contextEntries(form: URLSearchParams): RequestContext {
  const context: RequestContext = new Map();
  for (let n = 1; form.has(`ContextEntries.member.${n}.ContextKeyName`); n++) {
    const name = form.get(`ContextEntries.member.${n}.ContextKeyName`)!;
    context.set(name.toLowerCase(), members(form, `ContextEntries.member.${n}.ContextKeyValues`));
  }
  return context;
}

const accountOfArn = (arn: string) => /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];

function statementXml(m: MatchedStatement): string {
  // PolicyInputList.N and ResourcePolicy are reported by those names, with the type AWS gives them.
  const type = m.policyType === 'input' ? 'IAM Policy' : m.policyType === 'boundary' ? 'none' : m.policyType;
  return `<member>${el('SourcePolicyId', m.policyId)}${el('SourcePolicyType', type)}</member>`;
}

function resultXml(action: string, resource: string, decision: Decision, missing: string[], boundary: boolean): string {
  const matched = `<MatchedStatements>${decision.matched.map(statementXml).join('')}</MatchedStatements>`;
  const missingXml = `<MissingContextValues>${missing.map((key) => `<member>${xmlEscape(key)}</member>`).join('')}</MissingContextValues>`;
  const boundaryXml = boundary
    ? `<PermissionsBoundaryDecisionDetail>${el('AllowedByPermissionsBoundary', decision.reason !== 'no-boundary-allow' && decision.reason !== 'explicit-deny-boundary')}</PermissionsBoundaryDecisionDetail>`
    : '';
  const specific =
    resource === '*'
      ? ''
      : `<ResourceSpecificResults><member>${el('EvalResourceName', resource)}${el('EvalResourceDecision', decision.decision)}${matched}${missingXml}${boundaryXml}</member></ResourceSpecificResults>`;
  return (
    `<member>${el('EvalActionName', action)}${el('EvalResourceName', resource)}${el('EvalDecision', decision.decision)}` +
    `${matched}${resource === '*' ? missingXml : '<MissingContextValues/>'}${boundaryXml}${specific}</member>`
  );
}

export function simulatePrincipalPolicy(req: AwsRequest): string {
  const { form, world } = req;
  const sourceArn = requireParam(form, 'PolicySourceArn');
  const actions = members(form, 'ActionNames');
  if (actions.length === 0)
    throw new AwsError(
      400,
      'ValidationError',
      "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null",
    );
  const resources = members(form, 'ResourceArns');
  const role = findRole(world, sourceArn);
  const user = role ? undefined : findUser(world, sourceArn);
  if (!role && !user) {
    if (/:role\//.test(sourceArn))
      throw new AwsError(404, 'NoSuchEntity', `The role with name ${sourceArn.split('/').pop()} cannot be found.`);
    if (/:user\//.test(sourceArn))
      throw new AwsError(404, 'NoSuchEntity', `The user with name ${sourceArn.split('/').pop()} cannot be found.`);
    throw new AwsError(400, 'InvalidInput', `Invalid ARN: ${sourceArn}`);
  }
  // The caller may simulate only principals of its own account (IAM answers NoSuchEntity for another's).
  if (accountOfArn(sourceArn) !== req.caller.account) throw new AwsError(404, 'NoSuchEntity', `The entity ${sourceArn} cannot be found.`);

  const base: PrincipalPolicies = role
    ? principalPolicies(world, { kind: 'assumed-role', session: { role, sessionName: 'simulation', tags: {}, sessionPolicies: [] } })
    : principalPolicies(world, { kind: 'user', user: user! });
  const inputs: NamedPolicy[] = members(form, 'PolicyInputList').map((text, i) => ({
    id: `PolicyInputList.${i + 1}`,
    type: 'input',
    document: parseInputPolicy(text, `PolicyInputList.${i + 1}`),
  }));
  const boundaries = members(form, 'PermissionsBoundaryPolicyInputList');
  const callerArn = form.get('CallerArn') ?? (user ? user.arn : undefined);
  const resourcePolicyText = form.get('ResourcePolicy');
  if (resourcePolicyText !== null && !callerArn)
    throw new AwsError(400, 'InvalidInput', 'CallerArn is required when ResourcePolicy is given and PolicySourceArn is not a user.');
  const principal: PrincipalPolicies = {
    ...base,
    // a role is simulated as the role (its ARN is what a resource policy names), a user as CallerArn when given
    identity: { account: base.identity.account, arns: callerArn ? [callerArn] : base.identity.arns },
    identityPolicies: [...base.identityPolicies, ...inputs],
    boundary:
      boundaries.length > 0
        ? {
            id: 'PermissionsBoundaryPolicyInputList.1',
            type: 'boundary',
            document: parseInputPolicy(boundaries[0], 'PermissionsBoundaryPolicyInputList.1'),
          }
        : base.boundary,
  };
  const resourceOwner = accountOfArn(form.get('ResourceOwner') ?? '') ?? accountOfArn(callerArn ?? '') ?? base.identity.account;
  const resourcePolicy =
    resourcePolicyText === null ? undefined : { account: resourceOwner, document: parseInputPolicy(resourcePolicyText, 'ResourcePolicy') };
  const context = contextEntries(form);

  const results: string[] = [];
  for (const action of actions) {
    for (const resource of resources.length > 0 ? resources : ['*']) {
      const notes: EvaluationNotes = { missing: new Set() };
      const decision = decide(principal, { action, resource, context }, resourcePolicy, notes);
      results.push(resultXml(action, resource, decision, [...notes.missing], !!principal.boundary));
    }
  }
  const maxItems = Math.min(Math.max(Number(form.get('MaxItems') ?? 100) || 100, 1), 1000);
  const start = Number(form.get('Marker') ?? 0) || 0;
  const page = results.slice(start, start + maxItems);
  const truncated = start + maxItems < results.length;
  return `<EvaluationResults>${page.join('')}</EvaluationResults>${el('IsTruncated', truncated)}${truncated ? el('Marker', String(start + maxItems)) : ''}`;
}
