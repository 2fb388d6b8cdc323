import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_STAMPED_ENV } from './peer-address';
import { identityFromOAuth2Proxy, isTrustedPeer, PEER_ADDRESS_HEADER, stampPeerAddress } from './oauth2-proxy';

const settings = {
  trustedProxies: ['10.1.0.0/16', '192.168.5.7', 'fd00::/8'],
  userHeader: 'x-forwarded-user',
  groupsHeader: 'x-forwarded-groups',
  emailHeader: 'x-forwarded-email',
};
const userHeaders = {
  'x-forwarded-user': 'ann',
  'x-forwarded-groups': 'payments, platform-admins',
  'x-forwarded-email': 'ann@example.com',
};

describe('oauth2-proxy trust', () => {
  // As under scripts/start.mjs, the console's one server entry, which stamps the socket's address.
  beforeAll(() => {
    process.env[PEER_STAMPED_ENV] = '1';
  });
  afterAll(() => {
    delete process.env[PEER_STAMPED_ENV];
  });

  it('matches addresses against IPs and CIDRs, including IPv4-mapped IPv6', () => {
    expect(isTrustedPeer('10.1.200.3', settings.trustedProxies)).toBe(true);
    expect(isTrustedPeer('::ffff:10.1.0.9', settings.trustedProxies)).toBe(true);
    expect(isTrustedPeer('192.168.5.7', settings.trustedProxies)).toBe(true);
    expect(isTrustedPeer('192.168.5.8', settings.trustedProxies)).toBe(false);
    expect(isTrustedPeer('10.2.0.1', settings.trustedProxies)).toBe(false);
    expect(isTrustedPeer('fd12::1', settings.trustedProxies)).toBe(true);
    expect(isTrustedPeer(undefined, settings.trustedProxies)).toBe(false);
    expect(isTrustedPeer('not-an-ip', settings.trustedProxies)).toBe(false);
  });

  it('accepts the user headers from a trusted proxy', () => {
    const headers = new Headers({ ...userHeaders, [PEER_ADDRESS_HEADER]: '10.1.0.4' });
    expect(identityFromOAuth2Proxy(headers, settings)).toEqual({
      subject: 'ann',
      email: 'ann@example.com',
      groups: ['payments', 'platform-admins'],
      via: 'proxy',
    });
  });

  it('ignores the user headers from any other peer, or when the peer is unknown', () => {
    expect(identityFromOAuth2Proxy(new Headers({ ...userHeaders, [PEER_ADDRESS_HEADER]: '203.0.113.9' }), settings)).toBeUndefined();
    expect(identityFromOAuth2Proxy(new Headers({ ...userHeaders, 'x-forwarded-for': '10.1.0.4' }), settings)).toBeUndefined();
  });

  it('has the server overwrite a peer address a client sent', () => {
    const headers: Record<string, string | string[] | undefined> = { [PEER_ADDRESS_HEADER]: '10.1.0.4' };
    stampPeerAddress(headers, '203.0.113.9');
    expect(headers[PEER_ADDRESS_HEADER]).toBe('203.0.113.9');
    stampPeerAddress(headers, undefined);
    expect(headers[PEER_ADDRESS_HEADER]).toBeUndefined();
  });

  it('trusts no peer header when the server does not stamp it (`next start`): a client could have sent it', () => {
    delete process.env[PEER_STAMPED_ENV];
    try {
      expect(identityFromOAuth2Proxy(new Headers({ ...userHeaders, [PEER_ADDRESS_HEADER]: '10.1.0.4' }), settings)).toBeUndefined();
    } finally {
      process.env[PEER_STAMPED_ENV] = '1';
    }
  });
});
