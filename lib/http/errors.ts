import type { z } from 'zod';

/** api.md "Errors": `{ error: { code, message, details } }` with the documented statuses. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function apiError(
  status: 400 | 401 | 403 | 404 | 409 | 500 | 502,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): Response {
  const body: ApiErrorBody = { error: { code, message, ...(details ? { details } : {}) } };
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/** 400 with `details.fields` mapping each field path (e.g. "params.roleArn") to its message. */
export function invalidInput(error: z.ZodError, message = 'The request is invalid.'): Response {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(root)';
    fields[path] ??= issue.message;
  }
  return apiError(400, 'invalid-input', message, { fields });
}

export function notFound(what: string): Response {
  // Out-of-scope objects answer exactly like unknown ones, so the answer reveals nothing about them.
  return apiError(404, 'not-found', `${what} was not found.`);
}

export function forbidden(message: string): Response {
  return apiError(403, 'forbidden', message);
}
