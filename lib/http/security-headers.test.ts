import { describe, expect, it } from 'vitest';
import { config } from '@/proxy';
import { contentSecurityPolicy, newNonce, securityHeaders } from './security-headers';

describe('security headers', () => {
  it('allows scripts only from self and with the request nonce, never inline or eval in production', () => {
    const csp = contentSecurityPolicy('abc123', false);
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(contentSecurityPolicy('abc123', true)).toMatch(/script-src[^;]*'unsafe-eval'/);
  });

  it('sets the referrer policy, nosniff and frame denial', () => {
    const headers = securityHeaders(newNonce(), false);
    expect(headers['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['X-Frame-Options']).toBe('DENY');
  });

  it('uses a fresh nonce per request', () => {
    expect(newNonce()).not.toBe(newNonce());
  });

  it('runs on every path but the hashed build output, .txt and .js included', () => {
    const matcher = new RegExp(`^${config.matcher[0].source.replace('/(', '/(?:')}$`);
    for (const path of [
      '/',
      '/activity',
      '/api/v1/audit',
      '/auth/signin',
      '/serviceaccounts/prod/payments/api',
      '/robots.txt',
      '/x.js',
      '/favicon.ico',
    ])
      expect(matcher.test(path)).toBe(true);
    for (const path of ['/_next/static/chunks/main.js', '/_next/image']) expect(matcher.test(path)).toBe(false);
  });

  it('sends HSTS only over https', () => {
    expect(securityHeaders(newNonce(), false, [], true)['Strict-Transport-Security']).toMatch(/max-age=\d{8}/);
    expect(securityHeaders(newNonce(), false, [], false)['Strict-Transport-Security']).toBeUndefined();
  });
});
