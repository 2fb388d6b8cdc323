import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { SqliteConsoleStore } from './console-store';
import { storeSuite } from './store-suite';

// The shared store suite on the embedded engine: SQLite files in a fresh directory per test.
const dirs: string[] = [];
let dir = '';
afterAll(() => dirs.forEach((created) => rmSync(created, { recursive: true, force: true })));

storeSuite('SQLite', {
  async open(options = {}) {
    dir = mkdtempSync(path.join(tmpdir(), 'wic-store-'));
    dirs.push(dir);
    return new SqliteConsoleStore(dir, options.replicaId, options);
  },
  async reopen(options = {}) {
    return new SqliteConsoleStore(dir, options.replicaId, options);
  },
});
