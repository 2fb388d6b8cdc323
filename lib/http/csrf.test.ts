import { describe, expect, it } from 'vitest';
import { checkCsrf } from './csrf';

const post = (headers: Record<string, string>, method = 'POST') =>
  new Request('http://console.internal:3000/api/v1/actions', { method, headers: { host: 'console.example.com', ...headers } });

async function refusal(response: Response | undefined) {
  expect(response?.status).toBe(403);
  return ((await response!.json()) as { error: { code: string; message: string } }).error;
}

describe('checkCsrf', () => {
  it('lets same-origin browser requests through', () => {
    expect(checkCsrf(post({ origin: 'http://console.example.com', 'sec-fetch-site': 'same-origin' }))).toBeUndefined();
    expect(checkCsrf(post({ 'sec-fetch-site': 'same-origin' }))).toBeUndefined();
    expect(checkCsrf(post({ origin: 'https://console.example.com' }))).toBeUndefined();
  });

  it('refuses cross-site requests with the error envelope', async () => {
    expect((await refusal(checkCsrf(post({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })))).code).toBe('csrf-rejected');
    expect((await refusal(checkCsrf(post({ origin: 'https://evil.example' }, 'DELETE')))).message).toContain('evil.example');
    await refusal(checkCsrf(post({ origin: 'http://other.example.com', 'sec-fetch-site': 'same-site' }, 'PATCH')));
    await refusal(checkCsrf(post({ origin: 'null' })));
  });

  it('refuses cookie requests without Origin or Sec-Fetch-Site', async () => {
    expect((await refusal(checkCsrf(post({}, 'PUT')))).message).toContain('Origin');
  });

  it('exempts Bearer-token requests and safe methods', () => {
    expect(checkCsrf(post({ authorization: 'Bearer abc', origin: 'https://evil.example' }))).toBeUndefined();
    expect(
      checkCsrf(new Request('http://console.example.com/api/v1/audit', { headers: { origin: 'https://evil.example' } })),
    ).toBeUndefined();
  });

  it('accepts a configured public origin behind a proxy', () => {
    expect(checkCsrf(post({ origin: 'https://wic.corp.example' }), ['https://wic.corp.example'])).toBeUndefined();
  });
});
