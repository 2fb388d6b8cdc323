import { describe, expect, it } from 'vitest';
import { plainError } from './plain-errors';

const eksCreate = { service: 'eks' as const, operation: 'CreatePodIdentityAssociation', permission: 'eks:CreatePodIdentityAssociation' };
const patchSa = { service: 'kubernetes' as const, operation: 'patch serviceaccounts', permission: 'patch serviceaccounts in payments' };

// SDK v3 errors carry the service's code as `name`; the console's Kubernetes client raises KubeApiError {status, reason}.
const sdkError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
const kubeError = (status: number, reason: string, message: string) =>
  Object.assign(new Error(message), { name: 'KubeApiError', status, reason });

describe('plainError', () => {
  it('an AWS access denial names the IAM action the console lacks and keeps the raw error', () => {
    const plain = plainError(eksCreate, sdkError('AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/console is not authorized'));
    expect(plain).toMatchObject({ status: 502, code: 'forbidden-upstream', missingPermission: 'eks:CreatePodIdentityAssociation' });
    expect(plain.message).toContain('lacks eks:CreatePodIdentityAssociation');
    expect(plain.upstream).toEqual({
      service: 'eks',
      operation: 'CreatePodIdentityAssociation',
      code: 'AccessDeniedException',
      message: 'User: arn:aws:sts::1:assumed-role/console is not authorized',
    });
  });

  it('a duplicate create (409 ResourceInUseException) says to update instead', () => {
    const plain = plainError(eksCreate, sdkError('ResourceInUseException', 'Association already exists: a-abcdefghijklmnopq'));
    expect(plain).toMatchObject({ status: 409, code: 'conflict' });
    expect(plain.message).toContain('Update it instead');
  });

  it('EKS refusing the role for its trust policy points at the trust-policy fix', () => {
    expect(plainError(eksCreate, sdkError('InvalidParameterException', 'Trust policy of the role provided is invalid')).code).toBe(
      'invalid-trust-policy',
    );
    expect(plainError(eksCreate, sdkError('InvalidParameterException', 'namespace must not be empty')).code).toBe('upstream-error');
  });

  it('Kubernetes: 403 names the RBAC verb, 409 reports the concurrent change, 429 the disruption budget', () => {
    expect(plainError(patchSa, kubeError(403, 'Forbidden', 'serviceaccounts "api" is forbidden'))).toMatchObject({
      code: 'forbidden-upstream',
      missingPermission: 'patch serviceaccounts in payments',
    });
    const conflict = plainError(
      patchSa,
      kubeError(409, 'Conflict', 'the object has been modified; please apply your changes to the latest version and try again'),
    );
    expect(conflict).toMatchObject({ status: 409, code: 'conflict' });
    expect(conflict.message).toContain('nothing was overwritten');
    expect(
      plainError(patchSa, kubeError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.")).code,
    ).toBe('disruption-budget');
  });

  it("throttling after retries is said plainly; anything else keeps the service's message", () => {
    expect(plainError(eksCreate, sdkError('ThrottlingException', 'Rate exceeded')).code).toBe('throttled');
    expect(plainError(eksCreate, sdkError('ServerException', 'internal')).message).toBe('CreatePodIdentityAssociation failed: internal');
  });
});
