import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_API_TOKENS, DEMO_CLIENT } from '../scripts/demo-identity';

// Issue 5 "Nothing secret in client bundles": everything the browser can download is under .next/static.
// The console the e2e run started was built from this tree, so this greps exactly what it serves.

function filesUnder(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

test('the built client bundles carry no secret and no server-only code', () => {
  const staticDir = path.join(__dirname, '..', '.next', 'static');
  const files = filesUnder(staticDir).filter((file) => /\.(js|css|json|map|txt)$/.test(file));
  expect(files.length).toBeGreaterThan(10);
  const forbidden = [
    DEMO_CLIENT.clientSecret,
    'demo-session-secret',
    ...DEMO_API_TOKENS.map((grant) => grant.token),
    'sim-secret-',
    'BEGIN PRIVATE KEY',
    'BEGIN RSA PRIVATE KEY',
    'AWS_SECRET_ACCESS_KEY',
    'clientSecret',
    // Server-only modules: the audit store's SQLite, the Kubernetes client, the AWS SDK's signer.
    'better-sqlite3',
    'loadFromCluster',
    'SignatureV4',
  ];
  const found: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const needle of forbidden) if (text.includes(needle)) found.push(`${path.relative(staticDir, file)}: ${needle}`);
  }
  expect(found).toEqual([]);
});
