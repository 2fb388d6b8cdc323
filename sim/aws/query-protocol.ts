import { AwsError, type AwsResponse, xmlEscape } from './protocol';

// The AWS Query protocol (IAM, STS): form-encoded Action=…&Version=… in, XML out.

export function queryResult(action: string, namespace: string, resultXml: string, requestId: string): AwsResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body:
      `<${action}Response xmlns="${namespace}">` +
      `<${action}Result>${resultXml}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
      `</${action}Response>`,
  };
}

/** Responses without a Result element (e.g. IAM UpdateAssumeRolePolicy). */
export function queryEmptyResult(action: string, namespace: string, requestId: string): AwsResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<${action}Response xmlns="${namespace}"><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export function queryError(error: AwsError, namespace: string, requestId: string): AwsResponse {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml' },
    body:
      `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${xmlEscape(error.code)}</Code>` +
      `<Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

export function requireParam(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '')
    throw new AwsError(
      400,
      'ValidationError',
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

/**
 * The authentication errors IAM and STS (both awsQuery) answer with. They differ only in the status of an
 * expired session token: IAM answers 403, STS 400.
 */
export function queryAuthErrors(expiredTokenStatus: 400 | 403) {
  return {
    missing: new AwsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token'),
    unknownKey: new AwsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'),
    badSignature: new AwsError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ),
    expiredToken: new AwsError(expiredTokenStatus, 'ExpiredToken', 'The security token included in the request is expired'),
  };
}
