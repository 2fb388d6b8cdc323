import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { SimWorld } from '../world';
import { AwsError, type AwsCaller, type AwsRequest, type AwsResponse, type AwsService } from './protocol';
import { readSigV4Claim, SigV4FormatError, verifySigV4, parseAmzDate } from './sigv4';
import { createEksService } from './eks';
import { createIamService } from './iam';
import { createStsService, createSessionStore } from './sts';
import { createS3Service } from './s3';
import { authorizePrincipal, principalOfCaller } from './authorize';

// One endpoint for every AWS service (AWS_ENDPOINT_URL): the SigV4 credential scope says which service
// and region a request is for; then the fault layer, then the service's own handler.

const MAX_BODY_BYTES = 64 * 1024 * 1024;
// SigV4 rejects a request whose x-amz-date is more than 15 minutes from the server's time (SigV4 docs,
// "RequestTimeTooSkewed"); the sim compares with real time because the SDK signs with the real clock.
const MAX_SKEW_MS = 15 * 60_000;
const STS_PRESIGNED_SECONDS = 15 * 60;

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Which service an unauthenticated request was meant for, so its error can be in that service's shape. */
function guessService(path: string, method: string, body: Buffer): string {
  if (path.startsWith('/clusters')) return 'eks';
  if (method === 'POST' && body.length < 100_000) {
    const text = body.toString('utf8');
    if (/(^|&)Version=2011-06-15(&|$)/.test(text)) return 'sts';
    if (/(^|&)Action=/.test(text)) return 'iam';
  }
  return 's3';
}

export function createAwsHandler(world: SimWorld): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const sessions = createSessionStore();
  const services: Record<string, AwsService> = {
    eks: createEksService(),
    iam: createIamService(),
    sts: createStsService(sessions),
    s3: createS3Service(),
  };

  function send(res: http.ServerResponse, response: AwsResponse, requestId: string): void {
    if (res.writableEnded || res.destroyed) return;
    const body = response.body === undefined ? undefined : typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
    res.writeHead(response.status, {
      'x-amzn-requestid': requestId,
      'x-amz-request-id': requestId,
      ...(body && !response.headers?.['content-length'] ? { 'content-length': String(body.length) } : {}),
      ...response.headers,
    });
    res.end(body);
  }

  async function resolveCaller(service: AwsService, accessKeyId: string, sessionToken: string | undefined) {
    for (const account of world.accounts.values()) {
      if (account.accessKeyId === accessKeyId) {
        const caller: AwsCaller = {
          account: account.id,
          accessKeyId,
          arn: `arn:aws:iam::${account.id}:root`,
          userId: account.id,
          principalArns: [`arn:aws:iam::${account.id}:root`],
          kind: 'root',
        };
        return { caller, credentials: { accessKeyId, secretAccessKey: account.secretAccessKey } };
      }
      for (const user of account.users.values()) {
        if (user.accessKeyId !== accessKeyId) continue;
        const caller: AwsCaller = {
          account: account.id,
          accessKeyId,
          arn: user.arn,
          userId: user.userId,
          principalArns: [user.arn],
          kind: 'user',
        };
        return { caller, credentials: { accessKeyId, secretAccessKey: user.secretAccessKey } };
      }
    }
    const session = sessions.get(accessKeyId);
    if (!session) throw service.authErrors.unknownKey;
    if (sessionToken !== session.sessionToken) throw service.authErrors.unknownKey;
    if (new Date(session.expiration).getTime() <= world.clock.now().getTime()) throw service.authErrors.expiredToken;
    const caller: AwsCaller = {
      account: session.account,
      accessKeyId,
      arn: session.assumedRoleArn,
      userId: `${session.roleId}:${session.sessionName}`,
      principalArns: [session.roleArn, session.assumedRoleArn],
      kind: 'assumed-role',
      session,
    };
    return { caller, credentials: { accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken } };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rawPath = (req.url ?? '/').split('?')[0] || '/';
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    let service: AwsService = services[guessService(url.pathname, method, body)];
    try {
      const claim = readSigV4Claim(req.headers, url.searchParams);
      if (!claim) throw service.authErrors.missing;
      const claimed = services[claim.service];
      if (!claimed)
        throw new AwsError(
          400,
          'InvalidSignatureException',
          `The simulator does not serve the service "${claim.service}" (credential scope).`,
        );
      service = claimed;
      const signedAt = parseAmzDate(claim.amzDate);
      if (!signedAt) throw service.authErrors.badSignature;
      if (!claim.presigned && Math.abs(signedAt.getTime() - Date.now()) > MAX_SKEW_MS) {
        throw new AwsError(
          403,
          service.name === 's3' ? 'RequestTimeTooSkewed' : service.authErrors.badSignature.code,
          `Signature expired: ${claim.amzDate} is now earlier or later than 15 minutes from the current time.`,
        );
      }
      // A presigned STS request is valid for 15 minutes after X-Amz-Date whatever X-Amz-Expires says
      // (aws-iam-authenticator pkg/token/token.go, presignedURLExpiration); other services honour X-Amz-Expires.
      const validSeconds = claim.service === 'sts' ? STS_PRESIGNED_SECONDS : (claim.expiresIn ?? 3600);
      if (claim.presigned && signedAt.getTime() + validSeconds * 1000 < Date.now()) {
        throw new AwsError(403, 'AccessDenied', 'Request has expired');
      }
      const { caller, credentials } = await resolveCaller(service, claim.accessKeyId, claim.sessionToken);
      const valid = await verifySigV4(claim, { method, rawPath, query: url.searchParams, headers: req.headers, body }, credentials);
      if (!valid) throw service.authErrors.badSignature;

      const segments = url.pathname
        .split('/')
        .filter((s) => s.length > 0)
        .map((s) => decodeURIComponent(s));
      const contentType = String(req.headers['content-type'] ?? '');
      const form =
        (service.name === 'iam' || service.name === 'sts') &&
        (method === 'POST' ? contentType.includes('x-www-form-urlencoded') || body.length > 0 : true)
          ? new URLSearchParams(method === 'POST' ? body.toString('utf8') : url.search)
          : new URLSearchParams();
      const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '');
      const request: AwsRequest = {
        sourceIp,
        authorize(auth) {
          const decision = authorizePrincipal(world, principalOfCaller(world, caller), auth, { sourceIp, region: claim.region });
          if (!decision.allowed) throw service.accessDenied(caller, auth, decision);
        },
        world,
        method,
        rawPath,
        segments,
        query: url.searchParams,
        headers: req.headers,
        body,
        caller,
        region: claim.region,
        requestId,
        form,
      };

      const operation = service.operation(request);
      // The account's API rate comes first: AWS throttles before it looks at what is asked.
      if (world.traffic.admit(caller.account, service.name, operation)) throw service.throttlingError(request);
      const decision = world.faults.evaluate(service.name, operation, service.cluster?.(request));
      if (decision?.latencyMs) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
      if (decision?.hang) return; // never answered: the client's own timeout decides
      if (decision?.throttled) throw service.throttlingError(request);
      if (decision?.error) throw new AwsError(decision.error.status, decision.error.code, decision.error.message);
      const needed = service.authorization?.(request);
      if (needed) request.authorize(needed);

      send(res, await service.handle(request), requestId);
    } catch (err) {
      if (err instanceof AwsError) {
        send(res, service.errorResponse(err, requestId, method), requestId);
      } else if (err instanceof SigV4FormatError) {
        send(
          res,
          service.errorResponse(
            new AwsError(400, service.name === 'eks' ? 'IncompleteSignatureException' : 'IncompleteSignature', err.message),
            requestId,
            method,
          ),
          requestId,
        );
      } else {
        console.error('sim aws: handler failed:', err);
        send(
          res,
          service.errorResponse(new AwsError(500, 'InternalFailure', `simulator error: ${(err as Error).message}`), requestId, method),
          requestId,
        );
      }
    }
  }

  return (req, res) => {
    handle(req, res).catch((err) => {
      console.error('sim aws: request failed:', err);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('simulator error');
      }
    });
  };
}
