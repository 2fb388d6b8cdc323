import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './oidc';

// Open-redirect payloads (the usual corpora: PayloadsAllTheThings "Open Redirect", OWASP's unvalidated
// redirects cheat sheet), each as the handler sees it after URLSearchParams decoded the query once.
const CORPUS = [
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/ /evil.example',
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  'https://evil.example',
  'http:evil.example',
  '//evil.example/%2f..',
  '/%09/evil.example',
  '/%5cevil.example',
  '//%0d%0aevil.example',
  '/\u0000/evil.example',
  '/\u00a0/evil.example',
  'javascript:alert(1)',
  '/\u3002evil.example',
  '//evil%E3%80%82example',
  '@evil.example',
  '/@evil.example',
  '//user@evil.example',
  'evil.example',
  '',
];

const BASE = 'https://console.example.com';

describe('safeReturnTo', () => {
  it.each(CORPUS)('%j never leaves the console', (payload) => {
    const kept = safeReturnTo(payload);
    // What the callback does with it: resolve against the public URL, then the browser follows it.
    const target = new URL(kept, BASE);
    expect(target.origin).toBe(BASE);
    expect(kept.startsWith('//')).toBe(false);
  });

  it('keeps ordinary in-app destinations', () => {
    expect(safeReturnTo('/serviceaccounts/prod-use1/payments/api?tab=pods#chain')).toBe(
      '/serviceaccounts/prod-use1/payments/api?tab=pods#chain',
    );
    expect(safeReturnTo('/?cluster=prod-use1,data-euw1&severity=error')).toBe('/?cluster=prod-use1,data-euw1&severity=error');
  });

  it('normalizes dot segments', () => {
    expect(safeReturnTo('/a/../activity')).toBe('/activity');
  });
});
