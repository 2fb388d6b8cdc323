import { describe, expect, it } from 'vitest';
import { accessPath, parseAccessQuestion } from './access-question';

describe('parseAccessQuestion', () => {
  it('accepts an action and an ARN, ignoring empty filters', () => {
    const { result } = parseAccessQuestion(
      new URLSearchParams({ action: 's3:PutObject', resource: 'arn:aws:s3:::snaps/prod/*', cluster: '', namespace: 'payments' }),
    );
    expect(result.data).toEqual({ action: 's3:PutObject', resource: 'arn:aws:s3:::snaps/prod/*', namespace: 'payments' });
  });

  it('refuses a missing action, a bare action name and a resource that is not an ARN, saying which field', () => {
    const missing = parseAccessQuestion(new URLSearchParams({ resource: '*' })).result;
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => i.path.join('.'))).toEqual(['action']);
    expect(parseAccessQuestion({ action: 'PutObject', resource: '*' }).result.success).toBe(false);
    expect(parseAccessQuestion({ action: 's3:PutObject', resource: 's3://snaps/prod' }).result.success).toBe(false);
    expect(parseAccessQuestion({ action: 's3:PutObject', resource: 'arn:aws:iam::1234:role/x' }).result.success).toBe(false);
    expect(parseAccessQuestion({ action: 's3:PutObject', resource: 'arn:aws:iam::111122223333:role/x' }).result.success).toBe(true);
  });

  it('round-trips through the share-by-URL form', () => {
    const path = accessPath({ action: 'iam:PassRole', resource: '*', namespace: 'a b' });
    expect(path).toBe('/access?action=iam%3APassRole&resource=*&namespace=a+b');
    const { result } = parseAccessQuestion(new URL(path, 'http://x').searchParams);
    expect(result.data).toEqual({ action: 'iam:PassRole', resource: '*', namespace: 'a b' });
  });
});
