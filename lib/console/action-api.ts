import type { ActionPlan, ActionRecord, PreflightCheck } from '@/lib/actions/types';
import type { ActionKind } from '@/lib/actions/schemas';

// The browser's side of POST /api/v1/actions and GET /api/v1/actions/{id}: the UI uses the same API and
// the same server-side checks as automation.

export interface ActionRequest {
  type: ActionKind;
  params: Record<string, unknown>;
  /** What the form shows but does not send, e.g. the service account name a delete must be confirmed with. */
  hint?: { serviceAccount?: string };
}

export interface ActionApiError {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
  missingPermission?: string;
  upstream?: { service: string; operation: string; code: string; message: string };
  offer?: PreflightCheck['offer'];
  checks?: PreflightCheck[];
}

export async function errorOf(response: Response): Promise<ActionApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    const details = body.error?.details ?? {};
    return {
      status: response.status,
      code: body.error?.code ?? String(response.status),
      message: body.error?.message ?? response.statusText,
      ...(details.fields ? { fields: details.fields as Record<string, string> } : {}),
      ...(details.missingPermission ? { missingPermission: String(details.missingPermission) } : {}),
      ...(details.upstream ? { upstream: details.upstream as ActionApiError['upstream'] } : {}),
      ...(details.offer ? { offer: details.offer as ActionApiError['offer'] } : {}),
      ...(details.checks ? { checks: details.checks as PreflightCheck[] } : {}),
    };
  } catch {
    return { status: response.status, code: String(response.status), message: `${response.status} ${response.statusText}` };
  }
}

export async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ActionApiError };

export async function planAction(request: ActionRequest): Promise<Result<ActionPlan>> {
  const response = await post('/api/v1/actions', { type: request.type, dryRun: true, params: request.params });
  if (!response.ok) return { ok: false, error: await errorOf(response) };
  return { ok: true, value: ((await response.json()) as { plan: ActionPlan }).plan };
}

export async function applyAction(request: ActionRequest): Promise<Result<{ id: string }>> {
  const response = await post('/api/v1/actions', { type: request.type, dryRun: false, params: request.params });
  if (!response.ok) return { ok: false, error: await errorOf(response) };
  return { ok: true, value: (await response.json()) as { id: string } };
}

export async function fetchAction(id: string): Promise<Result<ActionRecord>> {
  const response = await fetch(`/api/v1/actions/${encodeURIComponent(id)}`, { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) return { ok: false, error: await errorOf(response) };
  return { ok: true, value: (await response.json()) as ActionRecord };
}

export async function cancelRunningAction(id: string): Promise<Result<unknown>> {
  const response = await post(`/api/v1/actions/${encodeURIComponent(id)}/cancel`, {});
  if (!response.ok) return { ok: false, error: await errorOf(response) };
  return { ok: true, value: await response.json() };
}
