import { BlockList, isIP } from 'node:net';
import type { Identity } from './principal';

/**
 * How the console knows who connected to it. A Next route handler sees no socket, and Next only fills
 * x-forwarded-for when the client did not send one (base-server: `x-forwarded-for ??= socket.remoteAddress`),
 * so that header is client-controlled and cannot prove a request came from oauth2-proxy.
 * The console's Node server (scripts/start.mjs) therefore overwrites PEER_ADDRESS_HEADER with
 * req.socket.remoteAddress on every request (see stampPeerAddress), replacing any value a client sent.
 * When the header is absent (e.g. plain `next dev`), proxy headers are refused: fail closed.
 */
export const PEER_ADDRESS_HEADER = 'x-console-peer-address';

/** For the console's Node server: call on every incoming request before handing it to Next. */
export function stampPeerAddress(headers: Record<string, string | string[] | undefined>, remoteAddress: string | undefined): void {
  if (remoteAddress) headers[PEER_ADDRESS_HEADER] = remoteAddress;
  else delete headers[PEER_ADDRESS_HEADER];
}

function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const plain = mapped ? mapped[1] : address;
  const family = isIP(plain);
  if (family === 0) return undefined;
  return { address: plain, family: family === 4 ? 'ipv4' : 'ipv6' };
}

export function isTrustedPeer(peerAddress: string | undefined | null, trustedProxies: string[]): boolean {
  if (!peerAddress) return false;
  const peer = normalise(peerAddress);
  if (!peer) return false;
  const allowed = new BlockList();
  for (const entry of trustedProxies) {
    const [address, bits] = entry.split('/');
    const parsed = normalise(address);
    if (!parsed) continue;
    if (bits === undefined) allowed.addAddress(parsed.address, parsed.family);
    else allowed.addSubnet(parsed.address, Number(bits), parsed.family);
  }
  return allowed.check(peer.address, peer.family);
}

export interface OAuth2ProxySettings {
  trustedProxies: string[];
  userHeader: string;
  groupsHeader: string;
  emailHeader: string;
}

/** The user oauth2-proxy vouches for, or undefined when the request did not come through a trusted proxy. */
export function identityFromOAuth2Proxy(headers: Headers, settings: OAuth2ProxySettings): Identity | undefined {
  if (!isTrustedPeer(headers.get(PEER_ADDRESS_HEADER), settings.trustedProxies)) return undefined;
  const user = headers.get(settings.userHeader)?.trim();
  if (!user) return undefined;
  const groups = (headers.get(settings.groupsHeader) ?? '')
    .split(',')
    .map((group) => group.trim())
    .filter(Boolean);
  return { subject: user, email: headers.get(settings.emailHeader)?.trim() || undefined, groups, via: 'proxy' };
}
