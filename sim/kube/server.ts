import type http from 'node:http';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';
import YAML from 'yaml';
import type { SimWorld } from '../world';
import { selectorMatches, type KubeCluster } from './cluster';
import { applyPatch } from './patch';
import { groupVersion, type ResourceType } from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { KubeError, badRequest } from './status';
import { serverSideApply } from './apply';
import { openApiV2, openApiV3, unknownFields } from './openapi';
import { forbidden, serviceAccountUser, splitServiceAccountUsername, type PolicyRule, type RequestAttributes, type UserInfo } from './rbac';
import { requestedTableVersion, toTable, type IncludeObject } from './table';
import { indexAfter, type KubeObj, type ListedObject, type StoreEvent } from './store';
import { createEksAuthenticator, EKS_TOKEN_PREFIX, EksTokenError, type EksAuthenticator } from './eks-authn';
import { authorize, rulesFor } from './eks-authz';

// The Kubernetes API over HTTP, one path prefix per cluster (/clusters/<name>/…), as kubectl and
// client-node expect it: discovery, the verbs, watch streams, and metav1.Status errors.

function send(res: http.ServerResponse, status: number, body: unknown) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

// The API server gzips a response when the client accepts it and the body is over 128 KiB, at BestSpeed
// (k8s.io/apiserver endpoints/handlers/responsewriters/writers.go, APIResponseCompression, on by default).
// client-node (through node-fetch) and kubectl (Go's transport) both send Accept-Encoding: gzip.
const GZIP_THRESHOLD_BYTES = 128 * 1024;
/** Items are sent in writes of about this size, so the first bytes leave before the last item is copied. */
const WRITE_CHUNK_BYTES = 1 << 20;

export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    return (coding === 'gzip' || coding === '*') && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

function waitForDrain(sink: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    sink.on('close', done);
  });
}

/**
 * A JSON body of `head`, the items' cached bytes joined by commas, then `tail`: streamed in ~1 MiB writes with
 * backpressure and gzipped when the client accepts it, never built as one 90 MB string.
 */
async function sendJoined(req: http.IncomingMessage, res: http.ServerResponse, head: string, items: Buffer[], tail: string) {
  const headBytes = Buffer.from(head);
  const tailBytes = Buffer.from(tail);
  let total = headBytes.length + tailBytes.length + Math.max(0, items.length - 1);
  for (const item of items) total += item.length;
  const gzip = total > GZIP_THRESHOLD_BYTES && acceptsGzip(req.headers['accept-encoding'] as string | undefined);
  res.writeHead(
    200,
    gzip
      ? { 'content-type': 'application/json', 'content-encoding': 'gzip', vary: 'Accept-Encoding' }
      : { 'content-type': 'application/json', 'content-length': total },
  );
  let sink: Writable = res;
  if (gzip) {
    const compressor = zlib.createGzip({ level: zlib.constants.Z_BEST_SPEED });
    compressor.pipe(res);
    // A client that goes away mid-list ends the stream; that is not a server error.
    compressor.on('error', () => res.destroy());
    res.on('close', () => compressor.destroy());
    sink = compressor;
  }
  const comma = Buffer.from(',');
  let pending: Buffer[] = [headBytes];
  let pendingBytes = headBytes.length;
  const flush = async () => {
    const chunk = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    if (!sink.write(chunk)) await waitForDrain(sink);
  };
  for (let i = 0; i < items.length; i++) {
    if (i > 0) pending.push(comma);
    pending.push(items[i]);
    pendingBytes += items[i].length + (i > 0 ? 1 : 0);
    if (pendingBytes >= WRITE_CHUNK_BYTES) {
      await flush();
      if (res.destroyed) return;
    }
  }
  if (res.destroyed) return;
  pending.push(tailBytes);
  pendingBytes += tailBytes.length;
  sink.end(Buffer.concat(pending, pendingBytes));
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  if (isApplyPatch(req)) {
    // Server-side apply bodies are YAML (kubectl sends JSON, which is YAML too).
    try {
      return YAML.parse(text);
    } catch (error) {
      throw badRequest(`error decoding YAML: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(`the request body is not valid JSON`);
  }
}

const isApplyPatch = (req: http.IncomingMessage) =>
  String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim() === 'application/apply-patch+yaml';

interface ParsedPath {
  group: string;
  version: string;
  namespace?: string;
  resource?: string;
  name?: string;
  subresource?: string;
}

function parseApiPath(path: string): ParsedPath | null {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group = '';
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return null;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  return { group, version, namespace, resource: rest[0], name: rest[1], subresource: rest[2] };
}

const DISCOVERY_VERBS = (type: ResourceType) => type.verbs;

function operationFor(method: string, parsed: ParsedPath, watch: boolean): string {
  const resource = parsed.subresource ? `${parsed.resource}/${parsed.subresource}` : parsed.resource;
  if (method === 'GET') return `${watch ? 'watch' : parsed.name ? 'get' : 'list'} ${resource}`;
  if (method === 'POST') return `create ${resource}`;
  if (method === 'PUT') return `update ${resource}`;
  if (method === 'PATCH') return `patch ${resource}`;
  if (method === 'DELETE') return `${parsed.name ? 'delete' : 'deletecollection'} ${resource}`;
  return `${method.toLowerCase()} ${resource}`;
}

/** What authorization sees of a request (k8s.io/apiserver request.RequestInfoFactory). */
function requestAttributes(method: string, path: string, parsed: ParsedPath | null, watch: boolean): RequestAttributes {
  if (!parsed?.resource) return { resourceRequest: false, verb: method.toLowerCase(), path };
  const [verb] = operationFor(method, parsed, watch).split(' ');
  return {
    resourceRequest: true,
    verb,
    apiGroup: parsed.group,
    apiVersion: parsed.version,
    resource: parsed.resource,
    subresource: parsed.subresource,
    // A namespace's own requests are in that namespace.
    namespace: parsed.resource === 'namespaces' && !parsed.namespace ? parsed.name : parsed.namespace,
    name: parsed.name,
  };
}

const eksAuthenticators = new WeakMap<KubeCluster, EksAuthenticator>();

/** The user behind a bearer token: the admin token, a service account token this cluster minted, or an EKS token. */
async function authenticate(cluster: KubeCluster, header: string | undefined): Promise<UserInfo> {
  const unauthorized = new KubeError(401, 'Unauthorized', 'Unauthorized');
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) throw unauthorized;
  if (token === cluster.token) return cluster.adminUser;
  const eks = cluster.eks;
  if (eks && token.startsWith(EKS_TOKEN_PREFIX)) {
    let authenticator = eksAuthenticators.get(cluster);
    if (!authenticator) eksAuthenticators.set(cluster, (authenticator = createEksAuthenticator(cluster.options.world, eks)));
    try {
      return await authenticator.authenticate(token);
    } catch (error) {
      if (error instanceof EksTokenError) throw unauthorized;
      throw error;
    }
  }
  const claims = cluster.tokens.verify(token);
  if (!claims) throw unauthorized;
  const { namespace, serviceaccount } = claims['kubernetes.io'];
  // A bound token dies with its service account (same name, new uid = another account).
  const account = cluster.store.get(cluster.type('', 'v1', 'serviceaccounts'), namespace, serviceaccount.name);
  if (!account || account.metadata.uid !== serviceaccount.uid) throw unauthorized;
  return serviceAccountUser(namespace, serviceaccount.name, serviceaccount.uid);
}

/**
 * Impersonate-User / Impersonate-Group / Impersonate-Uid (`kubectl --as`), allowed when the requester may
 * `impersonate` them (k8s.io/apiserver endpoints/filters/impersonation.go).
 */
function impersonate(cluster: KubeCluster, requester: UserInfo, headers: http.IncomingHttpHeaders): UserInfo {
  const username = headers['impersonate-user'] as string | undefined;
  const rawGroups = headers['impersonate-group'];
  const groups = rawGroups === undefined ? [] : Array.isArray(rawGroups) ? rawGroups : [rawGroups];
  const uid = headers['impersonate-uid'] as string | undefined;
  if (!username) {
    if (groups.length || uid) throw badRequest('requested impersonation without a user');
    return requester;
  }
  const check = (attributes: RequestAttributes) => {
    const decision = authorize(cluster, requester, attributes);
    if (!decision.allowed) throw forbidden(requester, attributes, decision.reason);
  };
  const serviceAccount = splitServiceAccountUsername(username);
  if (serviceAccount)
    check({
      resourceRequest: true,
      verb: 'impersonate',
      apiGroup: '',
      resource: 'serviceaccounts',
      namespace: serviceAccount[0],
      name: serviceAccount[1],
    });
  else check({ resourceRequest: true, verb: 'impersonate', apiGroup: '', resource: 'users', name: username });
  for (const group of groups) check({ resourceRequest: true, verb: 'impersonate', apiGroup: '', resource: 'groups', name: group });
  if (uid) check({ resourceRequest: true, verb: 'impersonate', apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid });
  const base = serviceAccount && groups.length === 0 ? serviceAccountUser(serviceAccount[0], serviceAccount[1]).groups : groups;
  const all = [...new Set([...base, ...(username === 'system:anonymous' ? [] : ['system:authenticated'])])];
  return { username, ...(uid ? { uid } : {}), groups: all };
}

/** A SelfSubjectRulesReview's status: resource and non-resource rules, as the API server splits them. */
function rulesReviewStatus(rules: PolicyRule[], errors: string[]) {
  return {
    resourceRules: rules
      .filter((rule) => !rule.nonResourceURLs?.length)
      .map((rule) => ({
        verbs: rule.verbs,
        ...(rule.apiGroups ? { apiGroups: rule.apiGroups } : {}),
        ...(rule.resources ? { resources: rule.resources } : {}),
        ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}),
      })),
    nonResourceRules: rules
      .filter((rule) => rule.nonResourceURLs?.length)
      .map((rule) => ({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs })),
    incomplete: errors.length > 0,
    ...(errors.length ? { evaluationError: errors.join(', ') } : {}),
  };
}

/** fieldValidation=Strict refuses unknown fields; Warn (kubectl's --validate=warn) answers with Warning headers. */
function validateFields(type: ResourceType, body: KubeObj, url: URL, res: http.ServerResponse) {
  const directive = url.searchParams.get('fieldValidation') ?? '';
  if (directive === '' || directive === 'Ignore') return;
  if (directive !== 'Strict' && directive !== 'Warn')
    throw badRequest(`fieldValidation: Invalid value: "${directive}": fieldValidation must be one of "Ignore", "Warn", or "Strict"`);
  const unknown = unknownFields(type, body);
  if (unknown.length === 0) return;
  if (directive === 'Warn') {
    res.setHeader(
      'Warning',
      unknown.map((field) => `299 - "unknown field \\"${field}\\""`),
    );
    return;
  }
  const list = unknown.map((field) => `unknown field ${JSON.stringify(field)}`).join(', ');
  throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${list}`);
}

export function createKubeHandler(world: SimWorld, clusters: Map<string, KubeCluster>) {
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const match = /^\/clusters\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const cluster = match ? clusters.get(decodeURIComponent(match[1])) : undefined;
    try {
      if (!cluster) throw new KubeError(404, 'NotFound', `no cluster at ${url.pathname} (the simulator serves /clusters/<name>/…)`);
      const requester = await authenticate(cluster, req.headers.authorization);
      const user = impersonate(cluster, requester, req.headers);
      const path = match![2] ?? '/';
      const method = req.method ?? 'GET';
      const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
      const parsed = parseApiPath(path);
      // RBAC for everyone but the admin token (system:masters is allowed before RBAC is asked).
      const attributes = requestAttributes(method, path, parsed, watch);
      const decision = authorize(cluster, user, attributes);
      if (!decision.allowed) throw forbidden(user, attributes, decision.reason);

      const kubeOperation = parsed?.resource ? operationFor(method, parsed, watch) : `get ${path}`;
      world.traffic.countKube(cluster.name, kubeOperation);
      const fault = world.faults.evaluate('kube', kubeOperation, cluster.name);
      if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault?.hang) return;
      if (fault?.throttled) throw new KubeError(429, 'TooManyRequests', 'Too many requests, please try again later.');
      if (fault?.error) throw new KubeError(fault.error.status, fault.error.code, fault.error.message || fault.error.code);

      if (method === 'GET' && /^\/openapi\/v2\/?$/.test(path)) {
        const accept = String(req.headers.accept ?? '');
        // The API server also serves protobuf; the simulator answers JSON to those who accept it.
        if (accept && !/json|\*\/\*/.test(accept))
          throw new KubeError(406, 'NotAcceptable', `only the following media types are accepted: application/json`);
        return send(res, 200, openApiV2(cluster.registry.all(), cluster.options.version));
      }
      if (method === 'GET' && /^\/openapi\/v3(\/|$)/.test(path))
        return send(res, 200, openApiV3(cluster.registry.all(), path, cluster.options.version));
      if (method === 'GET' && !parsed) return send(res, 200, discovery(cluster, path));
      if (!parsed) throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
      if (!parsed.resource) return send(res, 200, resourceList(cluster, parsed.group, parsed.version));
      const type = cluster.registry.get(parsed.group, parsed.version, parsed.resource);
      if (!type) throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
      if (type.namespaced === false && parsed.namespace)
        throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
      const dryRun = url.searchParams.getAll('dryRun').includes('All');

      if (
        type.resource === 'selfsubjectaccessreviews' ||
        type.resource === 'selfsubjectrulesreviews' ||
        type.resource === 'selfsubjectreviews'
      ) {
        if (method !== 'POST')
          throw new KubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const review = ((await readBody(req)) ?? {}) as { spec?: Record<string, unknown> };
        const head = { apiVersion: groupVersion(type), kind: type.kind, metadata: { creationTimestamp: null } };
        if (type.resource === 'selfsubjectreviews')
          return send(res, 201, {
            ...head,
            status: {
              userInfo: {
                username: user.username,
                ...(user.uid ? { uid: user.uid } : {}),
                groups: user.groups,
                ...(user.extra ? { extra: user.extra } : {}),
              },
            },
          });
        if (type.resource === 'selfsubjectrulesreviews') {
          const namespace = typeof review.spec?.namespace === 'string' ? review.spec.namespace : '';
          const { rules, errors } = rulesFor(cluster, user, namespace);
          return send(res, 201, { ...head, spec: { namespace }, status: rulesReviewStatus(rules, errors) });
        }
        const resourceAttributes = review.spec?.resourceAttributes as Record<string, string> | undefined;
        const nonResourceAttributes = review.spec?.nonResourceAttributes as Record<string, string> | undefined;
        if (!resourceAttributes === !nonResourceAttributes)
          throw new KubeError(
            422,
            'Invalid',
            'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
            {
              group: 'authorization.k8s.io',
              kind: 'SelfSubjectAccessReview',
            },
          );
        const asked: RequestAttributes = resourceAttributes
          ? {
              resourceRequest: true,
              verb: resourceAttributes.verb ?? '',
              apiGroup: resourceAttributes.group ?? '',
              apiVersion: resourceAttributes.version,
              resource: resourceAttributes.resource ?? '',
              subresource: resourceAttributes.subresource || undefined,
              namespace: resourceAttributes.namespace || undefined,
              name: resourceAttributes.name || undefined,
            }
          : { resourceRequest: false, verb: nonResourceAttributes!.verb ?? '', path: nonResourceAttributes!.path ?? '' };
        const answer = authorize(cluster, user, asked);
        return send(res, 201, {
          ...head,
          spec: review.spec,
          status: { allowed: answer.allowed, ...(answer.reason ? { reason: answer.reason } : {}) },
        });
      }
      if (type.resource === 'serviceaccounts' && parsed.subresource === 'token') {
        if (method !== 'POST' || !parsed.name)
          throw new KubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const request = ((await readBody(req)) ?? {}) as { spec?: { audiences?: unknown; expirationSeconds?: unknown } };
        const account = cluster.store.mustGet(type, parsed.namespace, parsed.name);
        const minted = cluster.tokens.mint(
          { namespace: parsed.namespace!, name: parsed.name, uid: String(account.metadata.uid) },
          request.spec ?? {},
        );
        return send(res, 201, {
          kind: 'TokenRequest',
          apiVersion: 'authentication.k8s.io/v1',
          metadata: { name: parsed.name, namespace: parsed.namespace, creationTimestamp: world.clock.nowIso() },
          spec: { audiences: minted.audiences, expirationSeconds: request.spec?.expirationSeconds ?? 3600, boundObjectRef: null },
          status: { token: minted.token, expirationTimestamp: minted.expirationTimestamp },
        });
      }

      if (method === 'GET' && !parsed.name) {
        if (watch) return startWatch(cluster, type, parsed.namespace, url, req, res);
        const page = list(cluster, type, parsed.namespace, url);
        const tableVersion = requestedTableVersion(req.headers.accept);
        if (tableVersion) {
          const table = toTable(type, page.items, {
            version: tableVersion,
            now: world.clock.now(),
            includeObject: includeObjectOf(url),
            resourceVersion: page.resourceVersion,
            continue: page.continue,
          });
          return await sendJoined(req, res, '', [Buffer.from(table)], '');
        }
        const metadata = JSON.stringify({ resourceVersion: page.resourceVersion, ...(page.continue ? { continue: page.continue } : {}) });
        const head = `{"kind":"${type.kind}List","apiVersion":"${groupVersion(type)}","metadata":${metadata},"items":[`;
        return await sendJoined(
          req,
          res,
          head,
          page.items.map((i) => i.json),
          ']}',
        );
      }
      if (method === 'GET') {
        const json = cluster.store.getJson(type, parsed.namespace, parsed.name!);
        if (!json) cluster.store.mustGet(type, parsed.namespace, parsed.name!);
        const tableVersion = requestedTableVersion(req.headers.accept);
        if (tableVersion && !parsed.subresource) {
          const object = cluster.store.mustGet(type, parsed.namespace, parsed.name!);
          return send(
            res,
            200,
            toTable(type, [{ object, json: json! }], {
              version: tableVersion,
              now: world.clock.now(),
              includeObject: includeObjectOf(url),
            }),
          );
        }
        return send(res, 200, json!);
      }
      if (method === 'POST' && parsed.name && parsed.subresource === 'eviction' && type.kind === 'Pod') {
        await readBody(req);
        evict(cluster, parsed.namespace!, parsed.name, dryRun);
        return send(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
      }
      if (method === 'POST') {
        const body = (await readBody(req)) as KubeObj | undefined;
        if (!body || typeof body !== 'object' || !body.metadata) throw badRequest('the body must be a Kubernetes object with metadata');
        if (type.namespaced) body.metadata.namespace = parsed.namespace ?? body.metadata.namespace ?? 'default';
        if (type.namespaced && parsed.namespace && body.metadata.namespace !== parsed.namespace) {
          throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
        }
        if (type.namespaced) ensureNamespace(cluster, body.metadata.namespace!);
        validateFields(type, body, url, res);
        const created =
          type.kind === 'Pod' ? cluster.admitAndCreate(body as never, { dryRun }) : cluster.store.create(type, body, { dryRun });
        return send(res, 201, created);
      }
      if (method === 'PUT') {
        const body = (await readBody(req)) as KubeObj | undefined;
        if (!body?.metadata) throw badRequest('the body must be a Kubernetes object with metadata');
        if (body.metadata.name !== parsed.name)
          throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${parsed.name})`);
        body.metadata.namespace = parsed.namespace;
        validateFields(type, body, url, res);
        return send(
          res,
          200,
          cluster.store.update(type, body, { dryRun, subresource: parsed.subresource === 'status' ? 'status' : undefined }),
        );
      }
      if (method === 'PATCH' && isApplyPatch(req) && parsed.name && !parsed.subresource) {
        const config = await readBody(req);
        if (!config || typeof config !== 'object' || Array.isArray(config)) throw badRequest('the apply body must be one object');
        const manager = url.searchParams.get('fieldManager');
        if (!manager) throw badRequest('PATCH /apply requires a field manager: set the fieldManager query parameter');
        const applied = config as KubeObj;
        if (applied.metadata?.name !== undefined && applied.metadata.name !== parsed.name)
          throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${parsed.name})`);
        if (applied.apiVersion !== groupVersion(type) || applied.kind !== type.kind)
          throw badRequest(
            `the apply body is ${String(applied.apiVersion)} ${String(applied.kind)}, but the URL names ${groupVersion(type)} ${type.kind}`,
          );
        validateFields(type, applied, url, res);
        const live = cluster.store.get(type, parsed.namespace, parsed.name);
        const force = url.searchParams.get('force') === 'true';
        const result = serverSideApply(live as never, applied as never, {
          manager,
          force,
          apiVersion: groupVersion(type),
          now: world.clock.nowIso(),
        }) as KubeObj;
        result.metadata = { ...result.metadata, name: parsed.name, namespace: type.namespaced ? parsed.namespace : undefined };
        if (!type.namespaced) delete result.metadata.namespace;
        if (!live) {
          if (type.namespaced) ensureNamespace(cluster, parsed.namespace!);
          const created =
            type.kind === 'Pod' ? cluster.admitAndCreate(result as never, { dryRun }) : cluster.store.create(type, result, { dryRun });
          return send(res, 201, created);
        }
        result.metadata.resourceVersion = live.metadata.resourceVersion;
        return send(res, 200, cluster.store.update(type, result, { dryRun }));
      }
      if (method === 'PATCH') {
        const body = await readBody(req);
        const current = cluster.store.mustGet(type, parsed.namespace, parsed.name!);
        const patched = applyPatch(String(req.headers['content-type'] ?? ''), structuredClone(current), body) as KubeObj;
        if (!patched || typeof patched !== 'object' || !patched.metadata)
          throw new KubeError(422, 'Invalid', 'the patch removed the object metadata');
        const patchedVersion = (patched.metadata as { resourceVersion?: string }).resourceVersion;
        // A patch carries a resourceVersion only when the client asks for a precondition.
        const precondition = (body as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;
        patched.metadata = {
          ...patched.metadata,
          name: parsed.name!,
          namespace: parsed.namespace,
          resourceVersion: precondition ?? patchedVersion,
        };
        if (!precondition) patched.metadata.resourceVersion = current.metadata.resourceVersion;
        return send(
          res,
          200,
          cluster.store.update(type, patched, { dryRun, subresource: parsed.subresource === 'status' ? 'status' : undefined }),
        );
      }
      if (method === 'DELETE' && parsed.name) {
        const deleted = cluster.store.delete(type, parsed.namespace, parsed.name, { dryRun });
        return send(res, 200, deleted);
      }
      if (method === 'DELETE') {
        // deletecollection: every object the selectors pick, in the namespace or everywhere.
        const page = list(cluster, type, parsed.namespace, url);
        const deleted = page.items.map((item) =>
          cluster.store.delete(type, item.object.metadata.namespace, item.object.metadata.name, { dryRun }),
        );
        return send(res, 200, { kind: `${type.kind}List`, apiVersion: groupVersion(type), metadata: {}, items: deleted });
      }
      throw new KubeError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    } catch (err) {
      if (err instanceof KubeError) return send(res, err.code, err.toStatus());
      console.error('sim kube: internal error', err);
      return send(res, 500, new KubeError(500, 'InternalError', (err as Error).message).toStatus());
    }
  };
}

function includeObjectOf(url: URL): IncludeObject {
  const value = url.searchParams.get('includeObject') ?? 'Metadata';
  if (value !== 'None' && value !== 'Metadata' && value !== 'Object')
    throw badRequest(`includeObject: unsupported value "${value}", expected None, Metadata or Object`);
  return value;
}

function ensureNamespace(cluster: KubeCluster, namespace: string) {
  const type = cluster.type('', 'v1', 'namespaces');
  if (!cluster.store.get(type, undefined, namespace))
    throw new KubeError(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
}

interface ListPage {
  items: ListedObject[];
  resourceVersion: string;
  continue?: string;
}

/** A continue token: where the last page ended and the list's resourceVersion (both opaque to clients). */
function continueToken(start: string, rv: string): string {
  return Buffer.from(JSON.stringify({ start, rv })).toString('base64');
}

function list(cluster: KubeCluster, type: ResourceType, namespace: string | undefined, url: URL): ListPage {
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  const fields = parseFieldSelector(url.searchParams.get('fieldSelector'), type.kind);
  const limit = Number(url.searchParams.get('limit') ?? 0);
  const token = url.searchParams.get('continue');
  checkListVersion(cluster, url, Boolean(token));
  const all = cluster.store.list(type, namespace);
  let start = 0;
  let listVersion = String(cluster.store.resourceVersion);
  if (token) {
    let decoded: { start: string; rv: string };
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { start: string; rv: string };
    } catch {
      throw badRequest('continue key is not valid');
    }
    if (typeof decoded?.start !== 'string' || typeof decoded.rv !== 'string') throw badRequest('continue key is not valid');
    // etcd answers a continue token from a compacted revision with 410 and a token that goes on at the current
    // revision (k8s.io/apiserver storage/etcd3/store.go, GetList; the message is apierrors' NewResourceExpired).
    if (Number(decoded.rv) < cluster.store.compactedRevision) {
      const error = new KubeError(
        410,
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
      error.listMetadata = { continue: continueToken(decoded.start, String(cluster.store.resourceVersion)) };
      throw error;
    }
    // The listing is in key order, so a page starts by binary search: paging 50,000 pods stays linear overall.
    start = indexAfter(all, decoded.start);
    listVersion = decoded.rv;
  }
  const items: ListedObject[] = [];
  let next: string | undefined;
  for (let i = start; i < all.length; i++) {
    const { object } = all[i];
    if (!labels((object.metadata.labels as Record<string, string>) ?? {}) || !fields(object)) continue;
    if (limit > 0 && items.length === limit) {
      next = continueToken(items[items.length - 1].key, listVersion);
      break;
    }
    items.push(all[i]);
  }
  return { items, resourceVersion: listVersion, continue: next };
}

/**
 * resourceVersion / resourceVersionMatch on a list (API concepts, "Semantics for get and list"): unset or "0" is
 * any recent state; NotOlderThan needs the store to have reached that version (504 "Too large resource version"
 * otherwise); Exact from a compacted version is 410. The simulator keeps no past snapshots, so an Exact list at a
 * retained older version is answered with the current state.
 */
function checkListVersion(cluster: KubeCluster, url: URL, continuing: boolean) {
  const version = url.searchParams.get('resourceVersion');
  const match = url.searchParams.get('resourceVersionMatch');
  if (match && match !== 'NotOlderThan' && match !== 'Exact')
    throw invalidList(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  if (match && !version)
    throw invalidList('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match && continuing)
    throw invalidList('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided');
  if (match === 'Exact' && version === '0')
    throw invalidList('resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  if (!version || version === '0') return;
  const requested = Number(version);
  if (!Number.isInteger(requested) || requested < 0) throw badRequest(`invalid resource version: ${version}`);
  if (requested > cluster.store.resourceVersion) throw tooLargeResourceVersion(requested, cluster.store.resourceVersion);
  if (match === 'Exact' && requested < cluster.store.compactedRevision)
    throw new KubeError(410, 'Expired', 'The resourceVersion for the provided list is too old.');
}

const invalidList = (message: string) => new KubeError(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${message}`);

/** k8s.io/apiserver storage.NewTooLargeResourceVersionError: a 504 the clients retry after a second. */
const tooLargeResourceVersion = (requested: number, current: number) =>
  new KubeError(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });

/** Open watch streams per cluster, so the control endpoint can end them as a restarting API server would. */
const openWatches = new WeakMap<KubeCluster, Set<() => void>>();

/** Ends every open watch on the cluster (clients reconnect from their last resourceVersion). Returns how many. */
export function closeWatches(cluster: KubeCluster): number {
  const watches = openWatches.get(cluster);
  if (!watches) return 0;
  const count = watches.size;
  for (const end of [...watches]) end();
  return count;
}

// kube-apiserver ends a watch without timeoutSeconds after a random 1–2× --min-request-timeout (default 1800 s).
const MIN_REQUEST_TIMEOUT_SECONDS = 1800;
const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;

function startWatch(
  cluster: KubeCluster,
  type: ResourceType,
  namespace: string | undefined,
  url: URL,
  req: http.IncomingMessage,
  res: http.ServerResponse,
) {
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  const fields = parseFieldSelector(url.searchParams.get('fieldSelector'), type.kind);
  const typeKey = `${groupVersion(type)}/${type.resource}`;
  const matches = (object: KubeObj) =>
    (!namespace || !type.namespaced || object.metadata.namespace === namespace) &&
    labels((object.metadata.labels as Record<string, string>) ?? {}) &&
    fields(object);
  const fromVersion = url.searchParams.get('resourceVersion') ?? '';
  const bookmarks = url.searchParams.get('allowWatchBookmarks') === 'true';
  const sendInitialEvents = url.searchParams.get('sendInitialEvents');
  const versionMatch = url.searchParams.get('resourceVersionMatch');
  // Streaming lists (KEP-3157) are asked for exactly so (k8s.io/apiserver validation of ListOptions for watch).
  if (sendInitialEvents !== null) {
    if (sendInitialEvents !== 'true' && sendInitialEvents !== 'false')
      throw badRequest(`sendInitialEvents: invalid value "${sendInitialEvents}"`);
    if (versionMatch !== 'NotOlderThan')
      throw invalidList('resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
    if (sendInitialEvents === 'true' && !bookmarks)
      throw invalidList('allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true');
  } else if (versionMatch) {
    throw invalidList('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  }
  const initialEvents = sendInitialEvents === 'true' || (sendInitialEvents === null && (fromVersion === '' || fromVersion === '0'));
  const requested = fromVersion === '' || fromVersion === '0' ? 0 : Number(fromVersion);
  if (!Number.isInteger(requested) || requested < 0) throw badRequest(`invalid resource version: ${fromVersion}`);
  if (requested > cluster.store.resourceVersion) throw tooLargeResourceVersion(requested, cluster.store.resourceVersion);

  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  // Headers go out now, as the API server sends them: a watch may see no event for a long time.
  res.flushHeaders();
  const writeEvent = (eventType: string, json: Buffer) => {
    // A timer or a store event may come between end() and the 'finish' that unsubscribes.
    if (res.writableEnded || res.destroyed) return;
    res.write(Buffer.concat([Buffer.from(`{"type":"${eventType}","object":`), json, Buffer.from('}\n')]));
  };
  // `kubectl get -w` watches in Table form: each event carries a one-row Table, the column definitions only once.
  const tableVersion = requestedTableVersion(req.headers.accept);
  const includeObject = tableVersion ? includeObjectOf(url) : 'Metadata';
  let sentColumns = false;
  const write = (eventType: string, object: KubeObj, json: Buffer) => {
    if (res.writableEnded || res.destroyed) return;
    if (!tableVersion) return writeEvent(eventType, json);
    const table = toTable(type, [{ object, json }], {
      version: tableVersion,
      now: cluster.clock.now(),
      includeObject,
      resourceVersion: String(object.metadata.resourceVersion ?? ''),
      noHeaders: sentColumns,
    });
    sentColumns = true;
    return writeEvent(eventType, Buffer.from(table));
  };
  // A BOOKMARK carries only the version the watch has reached (API concepts, "Watch bookmarks"); the end of a
  // streamed list is the bookmark annotated k8s.io/initial-events-end.
  const writeBookmark = (initialEventsEnd = false) => {
    const metadata = {
      resourceVersion: String(cluster.store.resourceVersion),
      ...(initialEventsEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
    };
    const object = tableVersion
      ? { kind: 'Table', apiVersion: `meta.k8s.io/${tableVersion}`, metadata, columnDefinitions: [], rows: [] }
      : { kind: type.kind, apiVersion: groupVersion(type), metadata };
    writeEvent('BOOKMARK', Buffer.from(JSON.stringify(object)));
  };
  // What a selector watch sees of a change (k8s.io/apiserver storage/cacher/cache_watcher.go, convertToWatchEvent):
  // an object entering the selection is ADDED, one leaving it is DELETED (its previous state at the new version).
  const send = (event: StoreEvent) => {
    const now = matches(event.object);
    const before = event.type === 'MODIFIED' && event.previous ? matches(event.previous) : now;
    if (now && before) return write(event.type, event.object, event.json);
    if (now) return write('ADDED', event.object, event.json);
    if (before) {
      const left = {
        ...event.previous!,
        metadata: { ...event.previous!.metadata, resourceVersion: String(event.resourceVersion) },
      } as KubeObj;
      return write('DELETED', left, Buffer.from(JSON.stringify(left)));
    }
  };
  if (initialEvents) {
    for (const item of cluster.store.list(type, namespace)) if (matches(item.object)) write('ADDED', item.object, item.json);
    if (sendInitialEvents === 'true') writeBookmark(true);
  } else {
    const events = cluster.store.eventsSince(typeKey, requested);
    if (events === null) {
      // The API server answers 200 and then one ERROR event with a 410 Status, and ends the stream.
      writeEvent(
        'ERROR',
        Buffer.from(
          JSON.stringify(
            new KubeError(410, 'Expired', `too old resource version: ${requested} (${cluster.store.oldestWatchable(typeKey)})`).toStatus(),
          ),
        ),
      );
      res.end();
      return;
    }
    for (const event of events) send(event);
  }
  const unsubscribe = cluster.store.subscribe((event) => {
    if (event.typeKey === typeKey) send(event);
  });
  const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? 0);
  const timeoutMs = timeoutSeconds > 0 ? timeoutSeconds * 1000 : MIN_REQUEST_TIMEOUT_SECONDS * 1000 * (1 + Math.random());
  const timer = setTimeout(() => res.end(), timeoutMs);
  const ticker = bookmarks
    ? setInterval(() => writeBookmark(), cluster.options.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS)
    : undefined;
  let watches = openWatches.get(cluster);
  if (!watches) openWatches.set(cluster, (watches = new Set()));
  const end = () => res.end();
  watches.add(end);
  const close = () => {
    unsubscribe();
    clearTimeout(timer);
    if (ticker) clearInterval(ticker);
    watches.delete(end);
  };
  req.on('close', close);
  res.on('close', close);
  res.on('finish', close);
}

/** The Eviction API: refuse when a PodDisruptionBudget would be violated (policy/v1). */
function evict(cluster: KubeCluster, namespace: string, name: string, dryRun: boolean) {
  const pods = cluster.type('', 'v1', 'pods');
  const pod = cluster.store.mustGet(pods, namespace, name) as KubeObj & { metadata: { labels?: Record<string, string> } };
  for (const { object } of cluster.store.list(cluster.type('policy', 'v1', 'poddisruptionbudgets'), namespace)) {
    const spec =
      (
        object as {
          spec?: { selector?: { matchLabels?: Record<string, string> }; minAvailable?: number | string; maxUnavailable?: number | string };
        }
      ).spec ?? {};
    if (!selectorMatches(spec.selector, pod.metadata.labels)) continue;
    const covered = cluster.store
      .list(pods, namespace)
      .map((s) => s.object as never)
      .filter((p: KubeObj & { metadata: { labels?: Record<string, string> } }) => selectorMatches(spec.selector, p.metadata.labels));
    const healthy = covered.filter((p) => cluster.isReady(p)).length;
    const total = covered.length;
    const resolve = (value: number | string | undefined) =>
      typeof value === 'string' && value.endsWith('%') ? Math.ceil((Number(value.slice(0, -1)) / 100) * total) : Number(value);
    const allowed =
      spec.minAvailable !== undefined ? healthy - resolve(spec.minAvailable) : resolve(spec.maxUnavailable) - (total - healthy);
    if (allowed < 1 && cluster.isReady(pod as never)) {
      throw new KubeError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: `The disruption budget ${object.metadata.name} needs ${spec.minAvailable ?? `maxUnavailable ${spec.maxUnavailable}`} healthy pods and has ${healthy} currently`,
          },
        ],
      });
    }
  }
  cluster.store.delete(pods, namespace, name, { dryRun });
}

function resourceList(cluster: KubeCluster, group: string, version: string) {
  const types = cluster.registry.all().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
  const resources = types.flatMap((t) => [
    {
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: DISCOVERY_VERBS(t),
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
    },
    ...(t.subresources ?? []).map((sub) => ({
      name: `${t.resource}/${sub}`,
      singularName: '',
      namespaced: t.namespaced,
      kind: sub === 'eviction' ? 'Eviction' : sub === 'token' ? 'TokenRequest' : t.kind,
      ...(sub === 'eviction'
        ? { group: 'policy', version: 'v1' }
        : sub === 'token'
          ? { group: 'authentication.k8s.io', version: 'v1' }
          : {}),
      verbs: sub === 'eviction' || sub === 'token' ? ['create'] : ['get', 'patch', 'update'],
    })),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function discovery(cluster: KubeCluster, path: string) {
  if (path === '/version' || path === '/version/') {
    const [major, minor] = cluster.options.version.split('.');
    const flavour =
      cluster.options.kind === 'eks'
        ? `-eks-${'a1b2c3d'}`
        : cluster.options.kind === 'k3s'
          ? '+k3s1'
          : cluster.options.kind === 'rke2'
            ? '+rke2r1'
            : '';
    return {
      major,
      minor,
      gitVersion: `v${major}.${minor}.4${flavour}`,
      gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean',
      buildDate: '2026-10-01T00:00:00Z',
      goVersion: 'go1.24.6',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }
  if (path === '/api' || path === '/api/')
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
  if (path === '/apis' || path === '/apis/') {
    const groups = new Map<string, string[]>();
    for (const type of cluster.registry.all())
      if (type.group) groups.set(type.group, [...new Set([...(groups.get(type.group) ?? []), type.version])]);
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }
  throw new KubeError(404, 'NotFound', 'the server could not find the requested resource');
}
