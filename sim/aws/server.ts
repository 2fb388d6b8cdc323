import type http from 'node:http';
import type { SimWorld } from '../world';
import { eksOperation, handleEks } from './eks';
import { handleIam } from './iam';
import { AwsError, errorResponse, throttlingError, type AwsRequest, type AwsResponse, type AwsService, type Caller } from './protocol';
import { handleS3, s3Operation } from './s3';
import { expectedSignature, parseAuthorization, serviceFromScope } from './sigv4';
import { handleSts, temporaryCredentialsOf, userIdFor } from './sts';

// One endpoint for every AWS service (AWS_ENDPOINT_URL): the service and region come from the SigV4
// credential scope, as they would from the hostname in AWS.

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, response: AwsResponse) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(response.status, response.headers ?? {});
  res.end(response.body);
}

/** Best guess of the service for requests that can't be authenticated, so the error has the right shape. */
function guessService(path: string, params: URLSearchParams): AwsService {
  if (path.startsWith('/clusters')) return 'eks';
  const version = params.get('Version');
  if (version === '2010-05-08') return 'iam';
  if (version === '2011-06-15') return 'sts';
  return 's3';
}

const INVALID_TOKEN: Record<AwsService, [string, string]> = {
  eks: ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
  iam: ['InvalidClientTokenId', 'The security token included in the request is invalid.'],
  sts: ['InvalidClientTokenId', 'The security token included in the request is invalid.'],
  s3: ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'],
};

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface Resolved {
  caller: Caller;
  secretAccessKey: string;
  sessionToken?: string;
}

function resolveKey(world: SimWorld, accessKeyId: string): Resolved | null {
  for (const account of world.accounts.values()) {
    if (account.accessKeyId === accessKeyId) {
      return {
        caller: { account: account.id, arn: `arn:aws:iam::${account.id}:user/sim-user`, userId: userIdFor(accessKeyId), accessKeyId },
        secretAccessKey: account.secretAccessKey,
      };
    }
  }
  const temporary = temporaryCredentialsOf(world).get(accessKeyId);
  if (temporary && temporary.expiresAt > world.clock.now().getTime()) {
    const roleName = temporary.roleArn.split('/').pop();
    return {
      caller: {
        account: temporary.account,
        arn: `arn:aws:sts::${temporary.account}:assumed-role/${roleName}/${temporary.sessionName}`,
        userId: `${temporary.roleId}:${temporary.sessionName}`,
        accessKeyId,
        assumedRoleArn: temporary.roleArn,
      },
      secretAccessKey: temporary.secretAccessKey,
      sessionToken: temporary.sessionToken,
    };
  }
  return null;
}

async function authenticate(world: SimWorld, req: http.IncomingMessage, rawPath: string, query: URLSearchParams, body: Buffer, fallback: AwsService) {
  const auth = parseAuthorization(req.headers.authorization);
  if (!auth) {
    const code = fallback === 'eks' ? 'MissingAuthenticationTokenException' : fallback === 's3' ? 'AccessDenied' : 'MissingAuthenticationToken';
    throw Object.assign(new AwsError(403, code, fallback === 's3' ? 'Access Denied' : 'Request is missing Authentication Token'), { service: fallback });
  }
  const service = serviceFromScope(auth.service);
  if (!service) throw Object.assign(new AwsError(400, 'UnknownService', `The simulator does not serve the service "${auth.service}".`), { service: fallback });
  const resolved = resolveKey(world, auth.accessKeyId);
  if (!resolved) throw Object.assign(new AwsError(403, ...INVALID_TOKEN[service]), { service });
  if (resolved.sessionToken && req.headers['x-amz-security-token'] !== resolved.sessionToken) {
    throw Object.assign(new AwsError(403, ...INVALID_TOKEN[service]), { service });
  }
  const signature = await expectedSignature(req, rawPath, query, body, auth, {
    accessKeyId: auth.accessKeyId,
    secretAccessKey: resolved.secretAccessKey,
    sessionToken: resolved.sessionToken,
  });
  if (signature !== auth.signature) {
    throw Object.assign(new AwsError(403, service === 'eks' ? 'InvalidSignatureException' : 'SignatureDoesNotMatch', SIGNATURE_MISMATCH), { service });
  }
  // IAM is a global service signed for us-east-1; a request signed for another region is refused by AWS.
  if (service === 'iam' && auth.region !== 'us-east-1') {
    throw Object.assign(new AwsError(403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region. `), { service });
  }
  return { service, region: auth.region, caller: resolved.caller };
}

export interface AwsRequestLogEntry {
  service: AwsService;
  operation: string;
  status: number;
  cluster?: string;
}

export function createAwsHandler(world: SimWorld, log?: (entry: AwsRequestLogEntry) => void) {
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const rawPath = (req.url ?? '/').split('?')[0];
    let service: AwsService = 's3';
    let operation = 'Unknown';
    let cluster: string | undefined;
    try {
      const body = await readBody(req);
      const isForm = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const params = new URLSearchParams(url.search);
      if (isForm) for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
      service = guessService(url.pathname, params);
      const identity = await authenticate(world, req, rawPath, url.searchParams, body, service);
      service = identity.service;
      const awsRequest: AwsRequest = { method: req.method ?? 'GET', rawPath, path: url.pathname, query: url.searchParams, headers: req.headers, body, ...identity };

      let dispatch: () => AwsResponse;
      if (service === 'eks') {
        const route = eksOperation(awsRequest.method, url.pathname);
        if (!route) throw new AwsError(404, 'UnknownOperationException', `No EKS operation for ${awsRequest.method} ${url.pathname}`);
        operation = route.operation;
        cluster = route.params[0];
        dispatch = () => handleEks(world, awsRequest, route.operation, route.params);
      } else if (service === 'iam' || service === 'sts') {
        operation = params.get('Action') ?? 'Unknown';
        dispatch = () => (service === 'iam' ? handleIam(world, awsRequest, params) : handleSts(world, awsRequest, params));
      } else {
        const s3 = s3Operation(awsRequest.method, rawPath, url.searchParams);
        operation = s3.operation;
        dispatch = () => handleS3(world, awsRequest, s3.operation, s3.bucket, s3.key);
      }

      const fault = world.faults.evaluate(service, operation, cluster);
      if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault?.hang) return; // never answers; the client's timeout decides
      if (fault?.throttled) throw throttlingError(service);
      if (fault?.error) throw new AwsError(fault.error.status, fault.error.code, fault.error.message);

      let response = dispatch();
      if (req.method === 'HEAD') response = { ...response, body: undefined };
      send(res, response);
      log?.({ service, operation, status: response.status, cluster });
    } catch (err) {
      if (err instanceof AwsError) {
        const errService = ((err as AwsError & { service?: AwsService }).service ?? service) as AwsService;
        const response = errorResponse(errService, err);
        send(res, req.method === 'HEAD' ? { ...response, body: undefined } : response);
        log?.({ service: errService, operation, status: err.status, cluster });
        return;
      }
      console.error('sim aws: internal error', err);
      send(res, errorResponse(service, new AwsError(500, service === 'eks' ? 'ServerException' : 'InternalError', (err as Error).message)));
    }
  };
}
