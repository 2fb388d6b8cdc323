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
    throw new AwsError(400, 'ValidationError', `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return value;
}
