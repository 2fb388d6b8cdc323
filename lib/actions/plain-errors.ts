import type { PlainError } from './types';

// AWS and Kubernetes failures of an action, in plain language (issue 4 "Errors"): an access denial names the
// IAM action or RBAC verb the console lacks, a conflict says what to do instead, and the raw error stays available.

export interface FailedCall {
  service: 'eks' | 'iam' | 'kubernetes';
  operation: string;
  /** IAM action (eks:CreatePodIdentityAssociation) or RBAC verb and resource (patch serviceaccounts in payments). */
  permission: string;
}

interface ErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  status?: number;
  reason?: string;
  $metadata?: { httpStatusCode?: number };
}

const AWS_ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError']);

export function plainError(call: FailedCall, error: unknown): PlainError {
  const shape = (error ?? {}) as ErrorShape;
  const rawMessage = shape.message || String(error);
  if (call.service === 'kubernetes' && typeof shape.status === 'number') {
    const upstream = { service: 'kubernetes', operation: call.operation, code: shape.reason ?? String(shape.status), message: rawMessage };
    if (shape.status === 403)
      return {
        status: 502,
        code: 'forbidden-upstream',
        message: `The console's Kubernetes credentials may not ${call.permission}. Grant that RBAC permission to the console's identity.`,
        missingPermission: call.permission,
        upstream,
      };
    if (shape.status === 409)
      return {
        status: 409,
        code: 'conflict',
        message: `Someone changed the object since the plan was made, so nothing was overwritten. Review the new state and plan again.`,
        upstream,
      };
    if (shape.status === 404)
      return { status: 404, code: 'not-found', message: `The object is gone from the cluster (${rawMessage}).`, upstream };
    if (shape.status === 429)
      return {
        status: 409,
        code: 'disruption-budget',
        message: `A PodDisruptionBudget does not allow this eviction right now (${rawMessage}).`,
        upstream,
      };
    if (shape.status === 422 || shape.status === 400)
      return { status: 400, code: 'rejected', message: `The API server rejected the change: ${rawMessage}`, upstream };
    return { status: 502, code: 'upstream-error', message: `The Kubernetes API failed (${shape.status}): ${rawMessage}`, upstream };
  }
  const code =
    shape.Code ?? (shape.name && shape.name !== 'Error' ? shape.name : undefined) ?? (error as { code?: string })?.code ?? 'Error';
  const upstream = { service: call.service, operation: call.operation, code, message: rawMessage };
  if (AWS_ACCESS_DENIED.has(code))
    return {
      status: 502,
      code: 'forbidden-upstream',
      message: `AWS denied ${call.operation}: the console's role lacks ${call.permission}. Allow that IAM action for the console's role.`,
      missingPermission: call.permission,
      upstream,
    };
  if (code === 'ResourceInUseException')
    return {
      status: 409,
      code: 'conflict',
      message: `An association for this service account already exists (${rawMessage}). Update it instead of creating another.`,
      upstream,
    };
  if (code === 'ResourceNotFoundException' || code === 'NoSuchEntity' || code === 'NoSuchEntityException')
    return { status: 404, code: 'not-found', message: `AWS does not know it any more: ${rawMessage}`, upstream };
  if (code === 'InvalidParameterException' && /trust policy/i.test(rawMessage))
    return {
      status: 400,
      code: 'invalid-trust-policy',
      message: `EKS refused the role because its trust policy does not let pods.eks.amazonaws.com assume it and tag the session. Fix the trust policy first.`,
      upstream,
    };
  if (code === 'ResourceLimitExceededException' || code === 'LimitExceeded' || code === 'LimitExceededException')
    return { status: 409, code: 'limit-exceeded', message: `An AWS limit was reached: ${rawMessage}`, upstream };
  if (code === 'MalformedPolicyDocument' || code === 'MalformedPolicyDocumentException')
    return { status: 400, code: 'malformed-policy', message: `IAM rejected the trust policy: ${rawMessage}`, upstream };
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(code))
    return {
      status: 502,
      code: 'throttled',
      message: `AWS throttled ${call.operation} even after retries; try again in a minute.`,
      upstream,
    };
  return { status: 502, code: 'upstream-error', message: `${call.operation} failed: ${rawMessage}`, upstream };
}
