import type { PolicyDocument, SimManagedPolicy, SimRole, SimUser, SimWorld } from '../world';

// Looking IAM entities up by ARN across the world, for IAM's own handlers, the evaluator and EKS.

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const USER_ARN = /^arn:aws[\w-]*:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/;

export function findRole(world: SimWorld, arn: string): SimRole | undefined {
  const match = ROLE_ARN.exec(arn);
  if (!match) return undefined;
  const role = world.accounts.get(match[1])?.roles.get(match[2]);
  return role && role.arn === arn ? role : undefined;
}

export function findUser(world: SimWorld, arn: string): SimUser | undefined {
  const match = USER_ARN.exec(arn);
  if (!match) return undefined;
  const user = world.accounts.get(match[1])?.users.get(match[2]);
  return user && user.arn === arn ? user : undefined;
}

/** The account part of a policy ARN: 12 digits, or "aws" for AWS managed policies; undefined when not a policy ARN. */
export function policyArnAccount(arn: string): string | undefined {
  return /^arn:aws[\w-]*:iam::(\d{12}|aws):policy\/.+$/.exec(arn)?.[1];
}

export function findManagedPolicy(world: SimWorld, arn: string): SimManagedPolicy | undefined {
  const account = policyArnAccount(arn);
  if (account === undefined) return undefined;
  if (account === 'aws') return world.awsManagedPolicies.get(arn);
  return world.accounts.get(account)?.managedPolicies.get(arn);
}

/** The document of a managed policy's default version. */
export function defaultDocument(policy: SimManagedPolicy): PolicyDocument {
  return policy.versions.get(policy.defaultVersionId)!.document;
}

/** How many roles and users of the world attach the policy, and how many use it as their boundary. */
export function policyUsage(world: SimWorld, arn: string): { attachments: number; boundaries: number } {
  let attachments = 0;
  let boundaries = 0;
  for (const account of world.accounts.values()) {
    for (const principal of [...account.roles.values(), ...account.users.values()]) {
      if (principal.attachedPolicies.includes(arn)) attachments++;
      if (principal.permissionsBoundary === arn) boundaries++;
    }
  }
  return { attachments, boundaries };
}
