import type { NextConfig } from 'next';
import { staticSecurityHeaders } from './lib/http/security-headers';

const nextConfig: NextConfig = {
  // Native and Node-only modules stay out of the server bundle.
  serverExternalPackages: ['better-sqlite3', '@kubernetes/client-node', 'pg', 'node-pg-migrate'],
  poweredByHeader: false,
  // proxy.ts sets the security headers on everything else; the hashed build output skips it, so it gets the
  // ones that need no nonce here (HSTS comes with every page, which is where browsers learn it).
  async headers() {
    const headers = Object.entries(staticSecurityHeaders(false)).map(([key, value]) => ({ key, value }));
    return [
      { source: '/_next/static/:path*', headers },
      { source: '/_next/image', headers },
    ];
  },
  // The container image runs .next/standalone (the server and only the node_modules it traces) with
  // scripts/start.mjs as its entry: see Dockerfile and scripts/assemble-standalone.mjs.
  output: 'standalone',
};

export default nextConfig;
