import { describe, expect, it } from 'vitest';
import { assertAuthConfigSafe, isLoopbackHost } from './safety';

const oidcAuth = { mode: 'oidc' as const, apiTokens: [] };

describe('assertAuthConfigSafe', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'console.example.com', undefined]) expect(isLoopbackHost(host)).toBe(false);
  });

  it('refuses a config without auth beyond loopback', () => {
    expect(() => assertAuthConfigSafe({}, '0.0.0.0', {})).toThrow(/no auth section .* 0\.0\.0\.0/);
    expect(() => assertAuthConfigSafe({}, undefined, {})).toThrow('HOST is unset');
    expect(() => assertAuthConfigSafe({}, '127.0.0.1', {})).not.toThrow();
  });

  it('refuses AUTH_MODE=none beyond loopback, from the env or the config', () => {
    expect(() => assertAuthConfigSafe({ auth: oidcAuth }, '0.0.0.0', { AUTH_MODE: 'none' })).toThrow(/mode 'none'.*only on loopback/);
    expect(() => assertAuthConfigSafe({ auth: { mode: 'none', apiTokens: [] } }, '10.0.0.5', {})).toThrow('only on loopback');
    expect(() => assertAuthConfigSafe({ auth: oidcAuth }, '::1', { AUTH_MODE: 'none' })).not.toThrow();
    expect(() => assertAuthConfigSafe({ auth: oidcAuth }, '0.0.0.0', {})).not.toThrow();
  });

  it('rejects an unsupported AUTH_MODE value', () => {
    expect(() => assertAuthConfigSafe({ auth: oidcAuth }, '127.0.0.1', { AUTH_MODE: 'off' })).toThrow('AUTH_MODE=off is not supported');
  });
});
