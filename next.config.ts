import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native and Node-only modules stay out of the server bundle.
  serverExternalPackages: ['better-sqlite3', '@kubernetes/client-node'],
  poweredByHeader: false,
};

export default nextConfig;
