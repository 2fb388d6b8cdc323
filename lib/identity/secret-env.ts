// Which environment variables hold credentials, and how they may be shown (issue 10: "secrets never leave the
// server"). Their values never reach the API, the UI, CSV, the audit trail or logs: only the variable's name
// and where the value comes from ("from ConfigMap leak, key AWS_SECRET_ACCESS_KEY"). An access key id is an
// identifier, not a secret, but shown only as its first and last 4 characters, as the IAM console does.

const AWS_CREDENTIAL_NAMES = new Set(['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_ACCESS_KEY_ID']);

/** AWS keys and session tokens, and names matching *SECRET*, *PASSWORD*, *TOKEN*, *_KEY (case-insensitive). */
export function isCredentialLikeEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return AWS_CREDENTIAL_NAMES.has(upper) || /SECRET|PASSWORD|TOKEN/.test(upper) || upper.endsWith('_KEY');
}

/** An access key id as its first 4 and last 4 characters (AKIA…MPLE); shorter values are not shown at all. */
export function maskAccessKeyId(value: string): string {
  return value.length >= 12 ? `${value.slice(0, 4)}…${value.slice(-4)}` : '(set)';
}

/** Where a value comes from, in words: "literal env", "ConfigMap leak, key K", "Secret creds, key K". */
export type EnvValueOrigin = { kind: 'literal' } | { kind: 'configmap' | 'secret'; name: string; key: string; viaEnvFrom?: boolean };

export function describeEnvOrigin(origin: EnvValueOrigin): string {
  if (origin.kind === 'literal') return 'literal env';
  const kind = origin.kind === 'configmap' ? 'ConfigMap' : 'Secret';
  return `${kind} ${origin.name}, key ${origin.key}${origin.viaEnvFrom ? ' (envFrom)' : ''}`;
}

/**
 * What may be shown of an env value: the value itself for ordinary variables; for an access key id its
 * first 4 + last 4; for any other credential-like variable nothing (null), the caller shows `from` instead.
 */
export function displayableEnvValue(name: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (name.toUpperCase() === 'AWS_ACCESS_KEY_ID') return value === '' ? '' : maskAccessKeyId(value);
  if (isCredentialLikeEnvName(name)) return null;
  return value;
}
