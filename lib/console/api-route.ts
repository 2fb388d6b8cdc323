import 'server-only';
import type { z } from 'zod';
import type { Principal } from '@/lib/auth/principal';
import type { Scope } from '@/lib/auth/scope';
import { requireApiPrincipal, scopeOf } from '@/lib/auth/get-principal';
import { checkCsrf } from '@/lib/http/csrf';
import { apiError, invalidInput } from '@/lib/http/errors';

// The one prologue of every /api/v1 route (api.md "Authentication", "Errors", "Lists"), in the manner of
// saas-starter's validatedActionWithUser: a change is CSRF-checked first, then the caller is identified (401
// otherwise) and scoped, the query is validated (400 naming each field) and a JSON body parsed (400 when it is not JSON), `?refresh=1` re-collects, and nothing
// the API answers is cached. The handler receives what it needs and returns a value (sent as JSON) or a Response.

export interface ApiRouteContext<Params, Query> {
  request: Request;
  principal: Principal;
  scope: Scope;
  /** The route's path segments. */
  params: Params;
  /** The query string, parsed by the route's `query` schema. */
  query: Query;
  searchParams: URLSearchParams;
  /** The JSON body, for a route with `body`; unparsed JSON never reaches the handler. */
  body: unknown;
}

export interface ApiRouteOptions<Query> {
  /** A change (POST): refused without a same-origin proof before anything else runs. */
  csrf?: boolean;
  /** A read of the collected view: `?refresh=1` re-collects before answering. */
  refresh?: boolean;
  /** Parses the query string; a failure is a 400 with `details.fields`. */
  query?: (searchParams: URLSearchParams) => z.ZodSafeParseResult<Query>;
  /** The 400's message when the query is invalid. */
  invalidQuery?: string;
  /** The route reads a JSON body: this example of its shape is the 400's message when the body is not JSON. */
  body?: string;
}

type Segments<Params> = { params: Promise<Params> };

export function apiRoute<Params = Record<string, never>, Query = undefined>(
  options: ApiRouteOptions<Query>,
  handler: (context: ApiRouteContext<Params, Query>) => Promise<Response | object>,
): (request: Request, segments?: Segments<Params>) => Promise<Response> {
  return async (request, segments) => noStore(await answer(options, handler, request, segments));
}

async function answer<Params, Query>(
  options: ApiRouteOptions<Query>,
  handler: (context: ApiRouteContext<Params, Query>) => Promise<Response | object>,
  request: Request,
  segments: Segments<Params> | undefined,
): Promise<Response> {
  if (options.csrf) {
    const refused = checkCsrf(request);
    if (refused) return refused;
  }
  const principal = await requireApiPrincipal(request);
  if (principal instanceof Response) return principal;
  const searchParams = new URL(request.url).searchParams;
  let query = undefined as Query;
  if (options.query) {
    const parsed = options.query(searchParams);
    if (!parsed.success) return invalidInput(parsed.error, options.invalidQuery ?? 'The filters are invalid.');
    query = parsed.data;
  }
  // Loaded only here: the collection layer is heavy, and routes that never refresh (audit, actions) need none of it.
  // ?refresh=1 is limited per principal (issue 10): 429 with Retry-After past the bucket.
  if (options.refresh) {
    const limited = (await import('./queries')).refreshIfAsked(request, principal);
    if (limited) return limited;
  }
  let body: unknown;
  if (options.body) {
    try {
      body = await request.json();
    } catch {
      return apiError(400, 'invalid-input', `The body must be JSON: ${options.body}.`);
    }
  }
  const params = ((await segments?.params) ?? {}) as Params;
  const result = await handler({ request, principal, scope: scopeOf(principal), params, query, searchParams, body });
  return result instanceof Response ? result : Response.json(result);
}

/** Answers about a fleet's identities are never stored by a browser or a proxy. */
function noStore(response: Response): Response {
  if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
  return response;
}
