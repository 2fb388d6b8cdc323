import { createHash } from 'node:crypto';

// Deterministic identifiers in the shapes AWS uses, so a scenario always produces the same ids and ARNs.

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

function fromAlphabet(seed: string, alphabet: string, length: number): string {
  const bytes = digest(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i % bytes.length] % alphabet.length];
  return out;
}

/** Static access key of an account: AKIA + "SIM" + the account id, padded to AWS's 20 characters. */
export function defaultAccessKeyId(accountId: string): string {
  return `AKIASIM${accountId}`.padEnd(20, 'X');
}

export function defaultSecretAccessKey(accountId: string): string {
  return `sim-secret-${accountId}`;
}

/** IAM role ids start with AROA and are 21 characters long. */
export function roleIdFor(roleArn: string): string {
  return `AROA${fromAlphabet(`role:${roleArn}`, UPPER_ALNUM, 17)}`;
}

/** Pod Identity association ids: "a-" + 17 lowercase letters and digits. */
export function associationIdFor(seed: string): string {
  return `a-${fromAlphabet(`association:${seed}`, LOWER_ALNUM, 17)}`;
}

/** The id part of an EKS OIDC issuer: 32 upper-case hex characters. */
export function oidcIssuerIdFor(clusterName: string): string {
  return createHash('md5').update(`oidc:${clusterName}`).digest('hex').toUpperCase();
}

export function roleArn(account: string, path: string, name: string): string {
  return `arn:aws:iam::${account}:role${path}${name}`;
}

export function associationArn(region: string, account: string, cluster: string, associationId: string): string {
  return `arn:aws:eks:${region}:${account}:podidentityassociation/${cluster}/${associationId}`;
}

export function md5Etag(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/** Random-looking but reproducible tokens (temporary credentials, request ids). */
export function tokenFor(seed: string, length: number, alphabet: 'upper' | 'lower' = 'upper'): string {
  return fromAlphabet(seed, alphabet === 'upper' ? UPPER_ALNUM : LOWER_ALNUM, length);
}

/** Managed policy ids start with ANPA, user ids with AIDA; both 21 characters. */
export function policyIdFor(policyArn: string): string {
  return `ANPA${fromAlphabet(`policy:${policyArn}`, UPPER_ALNUM, 17)}`;
}

export function userIdFor(userArn: string): string {
  return `AIDA${fromAlphabet(`user:${userArn}`, UPPER_ALNUM, 17)}`;
}

export function policyArn(account: string, path: string, name: string): string {
  return `arn:aws:iam::${account}:policy${path}${name}`;
}

export function userArn(account: string, path: string, name: string): string {
  return `arn:aws:iam::${account}:user${path}${name}`;
}

/**
 * arn:aws:eks:REGION:ACCOUNT:access-entry/CLUSTER/role/PRINCIPAL-ACCOUNT/NAME/UUID (EKS API reference,
 * AccessEntry.accessEntryArn); the UUID differs each time an entry is created.
 */
export function accessEntryArn(region: string, account: string, cluster: string, principalArn: string, seed: string): string {
  const principal = /^arn:aws[\w-]*:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  const hex = digest(`access-entry:${seed}`).toString('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  const kind = principal?.[2] ?? 'role';
  return `arn:aws:eks:${region}:${account}:access-entry/${cluster}/${kind}/${principal?.[1] ?? account}/${principal?.[3] ?? 'unknown'}/${uuid}`;
}

/**
 * The Kubernetes username EKS gives an access entry when none is set: a role's session ARN with the
 * {{SessionName}} placeholder, or a user's ARN (EKS user guide, creating-access-entries: "username").
 */
export function defaultAccessEntryUsername(principalArn: string): string {
  const role = /^arn:(aws[\w-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  if (role) return `arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}/{{SessionName}}`;
  return principalArn;
}
