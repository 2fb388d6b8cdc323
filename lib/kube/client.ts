import 'server-only';
import http from 'node:http';
import https from 'node:https';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import type { ClusterTarget } from '@/lib/config/cluster-targets';
import { awsScopeOf, describeClusterEndpoint } from '@/lib/aws/eks';
import { defaultKubeconfigPaths, loadKubeconfigFiles } from './kubeconfig';
import { eksBearerTokenProvider, type BearerTokenProvider } from './bearer-token';
import type { SourceError } from '@/lib/model/cluster-state';
import { currentCallSignal, eitherSignal } from '@/lib/limits/call-signal';
import { ContinuationGuard, KUBE_REQUEST_DEADLINE_MS, MAX_LIST_BYTES, MAX_RESPONSE_BYTES, ReadLimitError } from '@/lib/limits/read-limits';
import { outcomeOf, recordUpstream } from '@/lib/metrics/metrics';

// One Kubernetes connection per cluster target. client-node's KubeConfig does what kubeconfig demands
// (certificates, bearer tokens, exec plugins such as `aws eks get-token`, in-cluster service account);
// the reads themselves ask for JSON and keep it as JSON, so objects stay in their wire form (timestamps as
// RFC 3339 strings, lib/model/kube-objects.ts) without a deserialize/serialize round trip per object.
// A cluster named by its ARN has no kubeconfig: its endpoint and CA come from eks:DescribeCluster and its
// bearer token from the console's own AWS identity (bearer-token.ts, signed by lib/aws/eks-token.ts).

const PAGE_SIZE = 500;

/** A non-2xx answer of the API server, with its metav1.Status reason and message. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly server: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

interface Connection {
  kubeconfig: KubeConfig;
  server: URL;
  agent?: http.Agent;
  /** The Authorization bearer of a cluster reached through the EKS API, made per request (kubeconfig has none). */
  bearerToken?: BearerTokenProvider;
}

const connections = new Map<string, Connection>();
/** EKS-API connections being set up (one DescribeCluster however many reads start at once). */
const pendingConnections = new Map<string, Promise<Connection>>();

function connectionKey(target: ClusterTarget): string {
  if (target.viaEksApi && target.eks)
    return JSON.stringify([
      'eks-api',
      target.eks.account ?? '',
      target.eks.region,
      target.eks.name,
      target.assumeRoleArn ?? '',
      target.awsProfile ?? '',
      process.env.AWS_ENDPOINT_URL ?? '',
    ]);
  // KUBECONFIG is part of the key: the same context name in another kubeconfig is another cluster.
  return JSON.stringify([target.inCluster ?? false, target.kubeconfigPath ?? process.env.KUBECONFIG ?? '', target.context]);
}

/** The connection of a cluster named by its ARN: DescribeCluster's endpoint and CA, and the console's own EKS token. */
async function eksApiConnection(target: ClusterTarget): Promise<Connection> {
  const scope = awsScopeOf(target);
  if (!scope || !target.eks) throw new Error(`cluster '${target.name}' has no EKS name and region`);
  const { endpoint, certificateAuthorityData } = await describeClusterEndpoint(scope, target.eks.name);
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromOptions({
    clusters: [{ name: target.name, server: endpoint, caData: certificateAuthorityData, skipTLSVerify: false }],
    users: [{ name: target.name }],
    contexts: [{ name: target.name, cluster: target.name, user: target.name }],
    currentContext: target.name,
  });
  return { kubeconfig, server: new URL(endpoint), bearerToken: eksBearerTokenProvider(scope, target.eks.name) };
}

async function connectionFor(target: ClusterTarget): Promise<Connection> {
  const key = connectionKey(target);
  const existing = connections.get(key);
  if (existing) return existing;
  if (target.viaEksApi) {
    let pending = pendingConnections.get(key);
    if (!pending) {
      pending = eksApiConnection(target).then((connection) => {
        connections.set(key, connection);
        return connection;
      });
      pendingConnections.set(key, pending);
      // A failure is not kept: DescribeCluster is asked again on the next read.
      void pending.then(
        () => pendingConnections.delete(key),
        () => pendingConnections.delete(key),
      );
    }
    return pending;
  }
  let kubeconfig: KubeConfig;
  if (target.inCluster) {
    kubeconfig = new KubeConfig();
    kubeconfig.loadFromCluster();
  } else {
    const files = target.kubeconfigPath ? [target.kubeconfigPath] : defaultKubeconfigPaths();
    kubeconfig = loadKubeconfigFiles(files);
    if (!kubeconfig.getContextObject(target.context))
      throw new Error(`context '${target.context}' is not in ${files.join(', ') || 'any kubeconfig'}`);
    kubeconfig.setCurrentContext(target.context);
  }
  const cluster = kubeconfig.getCurrentCluster();
  if (!cluster) throw new Error(`context '${target.context}' names no cluster`);
  const connection: Connection = { kubeconfig, server: new URL(cluster.server) };
  connections.set(key, connection);
  return connection;
}

/** Forgets cached connections (a kubeconfig changed, or tests start another simulator). */
export function resetKubeConnections(): void {
  for (const connection of connections.values()) connection.agent?.destroy();
  connections.clear();
  pendingConnections.clear();
}

async function requestOptions(connection: Connection): Promise<https.RequestOptions> {
  const options: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await connection.kubeconfig.applyToHTTPSOptions(options);
  if (connection.bearerToken) options.headers = { ...options.headers, Authorization: `Bearer ${await connection.bearerToken()}` };
  const cluster = connection.kubeconfig.getCurrentCluster();
  if (connection.server.protocol === 'https:' && !cluster?.proxyUrl) {
    // One keep-alive agent per cluster instead of a new TLS handshake per page.
    connection.agent ??= new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
      ...(options.servername ? { servername: options.servername } : {}),
    });
    options.agent = connection.agent;
  }
  return options;
}

export interface KubeRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** For PATCH: application/merge-patch+json, application/strategic-merge-patch+json or application/json-patch+json. */
  contentType?: string;
  /** Aborts the request (besides its own deadline and the deadline of the call under way). */
  signal?: AbortSignal;
  /** Called with the size of the answer, for bounds across pages. */
  onBytes?: (bytes: number) => void;
}

/**
 * The metrics' operation label of a request: its RBAC verb and resource ("list pods", "patch serviceaccounts",
 * "create selfsubjectrulesreviews"), never the names in the path, so the series stay bounded.
 */
export function kubeOperation(method: string, apiPath: string): string {
  const parts = apiPath.split('?')[0].split('/').filter(Boolean);
  let rest = parts[0] === 'api' ? parts.slice(2) : parts[0] === 'apis' ? parts.slice(3) : parts;
  if (rest[0] === 'namespaces' && rest.length > 2) rest = rest.slice(2);
  const [resource = 'unknown', name, subresource] = rest;
  const verbs: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
  const verb = verbs[method] ?? (name ? 'get' : 'list');
  return `${verb} ${subresource ? `${resource}/${subresource}` : resource}`;
}

/** One API request with a JSON body and answer; a non-2xx answer throws KubeApiError with the server's Status. */
export async function kubeRequest<T>(target: ClusterTarget, apiPath: string, request: KubeRequest = {}): Promise<T> {
  const started = performance.now();
  const operation = kubeOperation(request.method ?? 'GET', apiPath);
  try {
    const answer = await sendKubeRequest<T>(target, apiPath, request);
    recordUpstream('kubernetes', operation, 'ok', (performance.now() - started) / 1000);
    return answer;
  } catch (error) {
    recordUpstream('kubernetes', operation, outcomeOf(error), (performance.now() - started) / 1000);
    throw error;
  }
}

async function sendKubeRequest<T>(target: ClusterTarget, apiPath: string, request: KubeRequest): Promise<T> {
  const connection = await connectionFor(target);
  const url = new URL(connection.server.href.replace(/\/$/, '') + apiPath);
  for (const [name, value] of Object.entries(request.query ?? {}))
    if (value !== undefined && value !== '') url.searchParams.set(name, value);
  const options = await requestOptions(connection);
  const method = request.method ?? 'GET';
  options.method = method;
  const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
  if (payload)
    options.headers = {
      ...options.headers,
      'Content-Type': request.contentType ?? 'application/json',
      'Content-Length': String(payload.length),
    };
  const transport = url.protocol === 'https:' ? https : http;
  // A total deadline, not only an idle one: a server trickling bytes cannot hold the request forever.
  const deadline = AbortSignal.timeout(KUBE_REQUEST_DEADLINE_MS);
  const signal = eitherSignal(eitherSignal(request.signal, currentCallSignal()), deadline)!;
  return new Promise<T>((resolve, reject) => {
    const outgoing = transport.request(url, { ...options, signal }, (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) {
          outgoing.destroy(
            new ReadLimitError(
              `the API server's answer to ${method} ${apiPath} is larger than ${MAX_RESPONSE_BYTES} bytes; the console stopped reading it`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        if (received > MAX_RESPONSE_BYTES) return;
        try {
          request.onBytes?.(received);
        } catch (error) {
          reject(error);
          return;
        }
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          try {
            resolve((text ? JSON.parse(text) : {}) as T);
          } catch {
            reject(
              new KubeApiError(
                status,
                'InvalidResponse',
                `the API server answered ${method} ${apiPath} with something that is not JSON`,
                connection.server.href,
              ),
            );
          }
          return;
        }
        let reason = http.STATUS_CODES[status] ?? String(status);
        let message = text.slice(0, 500) || reason;
        try {
          const parsed = JSON.parse(text) as { kind?: string; reason?: string; message?: string };
          if (parsed.reason) reason = parsed.reason;
          if (parsed.message) message = parsed.message;
        } catch {
          // Not a metav1.Status body (a proxy in front of the API server, say): keep the raw text.
        }
        reject(new KubeApiError(status, reason, message, connection.server.href));
      });
    });
    outgoing.on('error', (error: Error) => {
      if (error.name === 'AbortError' && deadline.aborted)
        reject(
          Object.assign(new Error(`no complete answer within ${KUBE_REQUEST_DEADLINE_MS / 1000} s; the request was aborted`), {
            code: 'ETIMEDOUT',
          }),
        );
      else if (error.name === 'AbortError' && signal.reason instanceof Error) reject(signal.reason);
      else reject(error);
    });
    outgoing.end(payload);
  });
}

/** GET one API path and parse its JSON; a non-2xx answer throws KubeApiError. */
export function kubeGet<T>(
  target: ClusterTarget,
  apiPath: string,
  query: Record<string, string | undefined> = {},
  onBytes?: (bytes: number) => void,
): Promise<T> {
  return kubeRequest<T>(target, apiPath, { query, onBytes });
}

interface ListResponse<T> {
  items?: T[] | null;
  metadata?: { continue?: string; resourceVersion?: string };
}

/**
 * Every item of a list, following `continue` through pages of 500. When a continue token expires mid-way
 * (410 Gone), the list starts over once, as client-go's pager does.
 */
export async function kubeListAll<T>(target: ClusterTarget, apiPath: string, query: Record<string, string | undefined> = {}): Promise<T[]> {
  return (await kubeListWithVersion<T>(target, apiPath, query)).items;
}

/**
 * kubeListAll, with the list's resourceVersion: the point a watch starts from so that it misses nothing the list
 * did not show (every page of one list shares it). `map` turns each item into what is kept as its page arrives
 * (an informer's projection), so a list of 10,000 pods never holds 10,000 whole pods at once.
 */
export async function kubeListWithVersion<T, U = T>(
  target: ClusterTarget,
  apiPath: string,
  query: Record<string, string | undefined> = {},
  signal?: AbortSignal,
  map: (item: T) => U = (item) => item as unknown as U,
): Promise<{ items: U[]; resourceVersion: string }> {
  for (let attempt = 0; ; attempt++) {
    const items: U[] = [];
    let token: string | undefined;
    // Bounded: pages, repeated tokens (a looping server) and the bytes of all pages together.
    const guard = new ContinuationGuard(`list ${apiPath}`);
    let bytes = 0;
    let resourceVersion = '';
    const countBytes = (pageBytes: number) => {
      bytes += pageBytes;
      if (bytes > MAX_LIST_BYTES)
        throw new ReadLimitError(`list ${apiPath}: the pages add up to more than ${MAX_LIST_BYTES} bytes; the console stops reading`);
    };
    try {
      do {
        const page = await kubeRequest<ListResponse<T>>(target, apiPath, {
          query: { ...query, limit: String(PAGE_SIZE), continue: token },
          onBytes: countBytes,
          signal,
        });
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        if (page.items !== undefined && page.items !== null && !Array.isArray(page.items))
          throw new KubeApiError(200, 'InvalidResponse', `list ${apiPath}: items is not a list`, (await connectionFor(target)).server.href);
        for (const item of page.items ?? []) {
          const name = (item as { metadata?: { name?: unknown } } | null)?.metadata?.name;
          if (typeof name !== 'string')
            throw new KubeApiError(
              200,
              'InvalidResponse',
              `list ${apiPath}: an item has no metadata.name`,
              (await connectionFor(target)).server.href,
            );
          items.push(map(item));
        }
        token = guard.next(page.metadata?.continue || undefined);
      } while (token);
      return { items, resourceVersion };
    } catch (error) {
      if (attempt === 0 && token && error instanceof KubeApiError && error.status === 410) continue;
      // A kept-alive socket the server had closed as it was reused (socket hang up): a list is idempotent, so it is
      // tried once more before the cluster is reported unreachable (an e2e Refresh saw both clusters "unreachable"
      // for one relist).
      if (attempt === 0 && !signal?.aborted && (error as NodeJS.ErrnoException)?.code === 'ECONNRESET') continue;
      throw error;
    }
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

/** A Kubernetes failure as the SourceError the pages show: what call, what the server said, what RBAC the console lacks. */
export function kubeSourceError(target: ClusterTarget, operation: string, error: unknown, rbac?: string): SourceError {
  const base = { cluster: target.name, source: 'kubernetes' as const, operation };
  if (error instanceof KubeApiError) {
    if (error.status === 403)
      return {
        ...base,
        code: 'Forbidden',
        message: error.message,
        missingPermission: rbac ?? operation,
      };
    if (error.status === 401)
      return {
        ...base,
        code: 'Unauthorized',
        message: `the API server at ${error.server} rejected the console's credentials: ${error.message}`,
      };
    return { ...base, code: error.reason, message: `${error.status} ${error.message}` };
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const server = connections.get(connectionKey(target))?.server.href ?? 'the API server';
  if (target.viaEksApi && !connections.has(connectionKey(target)))
    // DescribeCluster (or the credentials behind it) failed before any API server was asked.
    return { ...base, code: (error as { name?: string })?.name || code || 'Error', message: `no connection to the cluster: ${message}` };
  if (code && UNREACHABLE_CODES.has(code)) return { ...base, code, message: `the API server ${server} is unreachable: ${message}` };
  if (code && /CERT|SELF_SIGNED|TLS|SSL/.test(code))
    return { ...base, code, message: `TLS with the API server ${server} failed: ${message}` };
  return { ...base, code: code ?? 'Error', message };
}

/** One watch event as the API server streams it (BOOKMARK carries only metadata.resourceVersion; ERROR a metav1.Status). */
export interface KubeWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

/**
 * Opens a watch with client-node's Watch, on the same connection settings as every other read (an EKS-API
 * cluster's bearer token is made fresh for each watch: the API server checks it only when the stream opens).
 * `done` is called once, with null when the server ended the stream (its timeoutSeconds) or with the error.
 * Returns the AbortController that stops it.
 */
export async function kubeWatch(
  target: ClusterTarget,
  apiPath: string,
  query: Record<string, string | undefined>,
  onEvent: (event: KubeWatchEvent) => void,
  done: (error: unknown) => void,
): Promise<AbortController> {
  const connection = await connectionFor(target);
  let kubeconfig = connection.kubeconfig;
  if (connection.bearerToken) {
    const token = await connection.bearerToken();
    const cluster = kubeconfig.getCurrentCluster()!;
    kubeconfig = new KubeConfig();
    kubeconfig.loadFromOptions({
      clusters: [cluster],
      users: [{ name: target.name, token }],
      contexts: [{ name: target.name, cluster: cluster.name, user: target.name }],
      currentContext: target.name,
    });
  }
  const started = performance.now();
  const operation = kubeOperation('GET', apiPath).replace(/^list /, 'watch ');
  return new Watch(kubeconfig).watch(
    apiPath,
    query,
    (type, object) => onEvent({ type: type as KubeWatchEvent['type'], object: object as Record<string, unknown> }),
    (error: unknown) => {
      recordUpstream('kubernetes', operation, error ? outcomeOf(error) : 'ok', (performance.now() - started) / 1000);
      const status = (error as { statusCode?: number } | null)?.statusCode;
      // client-node says only the status line; the reads' own error type names the status for kubeSourceError.
      done(
        status
          ? new KubeApiError(
              status,
              http.STATUS_CODES[status] ?? String(status),
              `${operation}: ${status} ${http.STATUS_CODES[status] ?? ''}`.trim(),
              connection.server.href,
            )
          : error,
      );
    },
  );
}
