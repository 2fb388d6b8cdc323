// The one home for ARNs (IAM reference "IAM identifiers"; CreateRole's RoleName and Path patterns): what a role
// ARN is, its parts, the role name people read, and the account of any ARN. Pure: server, browser and CSV use it.

/**
 * arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME. Partitions are aws and aws-* (aws-cn, aws-us-gov, aws-iso-b…);
 * a path is printable ASCII ending in '/'; a name is 1-64 of [\w+=,.@-].
 */
export const ROLE_ARN_PATTERN = /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):role\/((?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/;

export interface RoleArnParts {
  partition: string;
  account: string;
  /** '/' or '/a/b/', as IAM reports Role.Path. */
  path: string;
  name: string;
}

/** The parts of an IAM role ARN, or null when the text is not one (surrounding whitespace included). */
export function parseRoleArn(arn: string): RoleArnParts | null {
  const match = ROLE_ARN_PATTERN.exec(arn);
  return match ? { partition: match[1], account: match[2], path: `/${match[3]}`, name: match[4] } : null;
}

/**
 * The role name to show: "arn:aws:iam::111122223333:role/team/payments-api" -> "payments-api". A malformed role
 * ARN still shows its last path segment; anything that is not a role ARN is shown as it is.
 */
export function roleNameOf(arn: string): string {
  const parsed = parseRoleArn(arn);
  if (parsed) return parsed.name;
  const resource = arn.split(':').slice(5).join(':');
  return resource.startsWith('role/') ? resource.split('/').pop() || arn : arn;
}

/** The last path segment of an ARN: an EKS access policy's name ("…:cluster-access-policy/AmazonEKSViewPolicy"). */
export function lastSegmentOf(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

/**
 * Two ARNs of one role: the same account and role name. An access entry names a role with its path, while an
 * assumed-role session (and the role ARN built from it) names it without, so the path is left out.
 */
export function sameRole(a: string, b: string): boolean {
  const left = parseRoleArn(a);
  const right = parseRoleArn(b);
  return Boolean(left && right && left.partition === right.partition && left.account === right.account && left.name === right.name);
}

/** The 12-digit account in an ARN's fifth field; null when there is none (S3 buckets, malformed text). */
export function accountOfArn(arn: string | null | undefined): string | null {
  return /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn ?? '')?.[1] ?? null;
}

/**
 * The IAM principal an EKS access entry names for a caller: an assumed-role session's role (without its path,
 * which the session ARN does not carry), else the ARN itself (aws-iam-authenticator pkg/arn Canonicalize).
 */
export function principalArnOfCaller(callerArn: string): string {
  const assumed = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return assumed ? `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}` : callerArn;
}
