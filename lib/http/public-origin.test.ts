import { describe, expect, it } from 'vitest';
import { checkHost, publicUrlOf } from './public-origin';

const publicUrl = new URL('https://console.example.com');

describe('Host allowlist', () => {
  it('accepts the configured public host only', () => {
    expect(checkHost('console.example.com', '/', 'oidc', publicUrl).ok).toBe(true);
    expect(checkHost('console.example.com:443', '/', 'oidc', publicUrl).ok).toBe(true);
    for (const host of ['evil.example', 'console.example.com.evil.example', 'console.example.com:8443', '127.0.0.1', 'localhost', null])
      expect(checkHost(host, '/api/v1/serviceaccounts', 'oidc', publicUrl).ok).toBe(false);
  });
  it('answers only loopback names without sign-in (DNS rebinding)', () => {
    for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000']) expect(checkHost(host, '/', 'none', undefined).ok).toBe(true);
    for (const host of ['evil.example:3000', 'rebind.127.0.0.1.nip.io:3000', '0.0.0.0:3000'])
      expect(checkHost(host, '/', 'none', undefined).ok).toBe(false);
  });
  it('lets probes by pod IP reach the health endpoint', () => {
    expect(checkHost('10.0.3.7:3000', '/api/health', 'oidc', publicUrl).ok).toBe(true);
  });
  it('takes the public URL from auth.publicUrl, else the OIDC base URL', () => {
    expect(publicUrlOf({ mode: 'oidc', oidc: { baseUrl: 'http://127.0.0.1:3000/x' } } as never)?.host).toBe('127.0.0.1:3000');
  });
});
