import { describe, expect, it } from 'vitest';
import { describeEnvOrigin, displayableEnvValue, isCredentialLikeEnvName } from './secret-env';

describe('credential-like env', () => {
  it.each([
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'DB_PASSWORD',
    'client_secret',
    'GITHUB_TOKEN',
    'STRIPE_API_KEY',
    'AWS_ACCESS_KEY_ID',
  ])('%s never shows its value', (name) => {
    expect(isCredentialLikeEnvName(name)).toBe(true);
    const shown = displayableEnvValue(name, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect(shown ?? '').not.toContain('wJalrXUtnFEMI/K7MDENG');
  });
  it('an access key id shows first 4 and last 4', () => {
    expect(displayableEnvValue('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE')).toBe('AKIA…MPLE');
  });
  it('ordinary settings show their value', () => {
    expect(displayableEnvValue('AWS_REGION', 'eu-west-1')).toBe('eu-west-1');
    expect(displayableEnvValue('AWS_ROLE_ARN', 'arn:aws:iam::1:role/x')).toBe('arn:aws:iam::1:role/x');
  });
  it('names the source', () => {
    expect(describeEnvOrigin({ kind: 'configmap', name: 'leak', key: 'AWS_SECRET_ACCESS_KEY' })).toBe(
      'ConfigMap leak, key AWS_SECRET_ACCESS_KEY',
    );
  });
});
