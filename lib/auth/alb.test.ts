import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbTokenError, verifyAlbOidcData } from './alb';

const signer = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/console/50dc6c495c0c9188';
const keys = new Map<string, { privateKey: KeyObject; publicPem: string }>();
let server: Server;
let baseUrl: string;
let fetches = 0;

function keyPair(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  keys.set(kid, { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
}

// ALB pads segments with '=' (standard base64 padding on a base64url alphabet), reproduced here.
const segment = (value: object) => {
  const text = Buffer.from(JSON.stringify(value)).toString('base64url');
  return text + '='.repeat((4 - (text.length % 4)) % 4);
};

function albToken(kid: string, header: object, payload: object, signingKid = kid): string {
  const signingInput = `${segment({ alg: 'ES256', kid, signer, iss: 'https://idp', client: 'c', ...header })}.${segment(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key: keys.get(signingKid)!.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

const settings = () => ({ region: 'eu-west-1', expectedSigner: signer, publicKeyBaseUrl: baseUrl, groupsClaim: 'groups' });
const now = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  keyPair('key-1');
  keyPair('key-2');
  server = createServer((request, response) => {
    fetches += 1;
    const key = keys.get(decodeURIComponent((request.url ?? '').slice(1)));
    if (!key) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/plain' }).end(key.publicPem);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('verifyAlbOidcData', () => {
  it('accepts a token signed by the key for its kid and returns the user and groups', async () => {
    const identity = await verifyAlbOidcData(
      albToken('key-1', {}, { sub: 'u-123', email: 'ann@example.com', groups: ['payments'], exp: now + 60 }),
      settings(),
    );
    expect(identity).toEqual({ subject: 'u-123', email: 'ann@example.com', name: undefined, groups: ['payments'], via: 'proxy' });
  });

  it('caches the public key per kid', async () => {
    const before = fetches;
    await verifyAlbOidcData(albToken('key-1', {}, { sub: 'a', exp: now + 60 }), settings());
    await verifyAlbOidcData(albToken('key-1', {}, { sub: 'b', exp: now + 60 }), settings());
    expect(fetches).toBe(before);
  });

  it('rejects a signature made with another key', async () => {
    await expect(verifyAlbOidcData(albToken('key-1', {}, { sub: 'a', exp: now + 60 }, 'key-2'), settings())).rejects.toThrow(
      'signature does not verify',
    );
  });

  it('rejects a token from another load balancer', async () => {
    const other = signer.replace('console', 'other');
    await expect(verifyAlbOidcData(albToken('key-1', { signer: other }, { sub: 'a', exp: now + 60 }), settings())).rejects.toThrow(
      /signed by .*other/,
    );
  });

  it('rejects an expired token and a tampered payload', async () => {
    await expect(verifyAlbOidcData(albToken('key-1', {}, { sub: 'a', exp: now - 1 }), settings())).rejects.toThrow('expired');
    const [header, , signature] = albToken('key-1', {}, { sub: 'a', groups: [], exp: now + 60 }).split('.');
    const forged = `${header}.${segment({ sub: 'a', groups: ['admins'], exp: now + 60 })}.${signature}`;
    await expect(verifyAlbOidcData(forged, settings())).rejects.toBeInstanceOf(AlbTokenError);
  });

  it('rejects other algorithms and unknown kids', async () => {
    await expect(verifyAlbOidcData(albToken('key-1', { alg: 'none' }, { sub: 'a', exp: now + 60 }), settings())).rejects.toThrow(
      'expected ES256',
    );
    await expect(verifyAlbOidcData(albToken('key-1', { kid: 'missing' }, { sub: 'a', exp: now + 60 }), settings())).rejects.toThrow(
      'HTTP 404',
    );
    await expect(verifyAlbOidcData(albToken('key-1', { kid: '../x' }, { sub: 'a', exp: now + 60 }), settings())).rejects.toThrow(
      'no usable kid',
    );
  });
});
