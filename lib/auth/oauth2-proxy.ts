import { BlockList, isIP } from 'node:net';
import { peerAddressOf } from './peer-address';
import type { Identity } from './principal';

export { PEER_ADDRESS_HEADER, stampPeerAddress } from './peer-address';

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
  // Only the address the console's own server stamped counts (lib/auth/peer-address.ts).
  if (!isTrustedPeer(peerAddressOf(headers), settings.trustedProxies)) return undefined;
  const user = headers.get(settings.userHeader)?.trim();
  if (!user) return undefined;
  const groups = (headers.get(settings.groupsHeader) ?? '')
    .split(',')
    .map((group) => group.trim())
    .filter(Boolean);
  return { subject: user, email: headers.get(settings.emailHeader)?.trim() || undefined, groups, via: 'proxy' };
}
