import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import YAML from 'yaml';
import { createAwsHandler } from '../aws/server';
import { buildWorld, defaultAccessKeyId, defaultSecretAccessKey } from '../build-world';
import { createControlHandler } from '../control';
import { loadScenarioFile } from '../scenario/load';
import type { SimWorld } from '../world';

/** Serves the AWS half alone for a scenario given as an object: for tests of the AWS endpoints. */
export async function startAwsSim(scenario: unknown): Promise<{ url: string; world: SimWorld; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wic-aws-'));
  const file = path.join(dir, 'scenario.yaml');
  fs.writeFileSync(file, YAML.stringify(scenario, { aliasDuplicateObjects: false }));
  const world = buildWorld(loadScenarioFile(file));
  const aws = createAwsHandler(world);
  const control = createControlHandler(world);
  const server = http.createServer((req, res) => (req.url?.startsWith('/_sim/') ? control(req, res) : aws(req, res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    world,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function credentialsFor(account: string) {
  return { accessKeyId: defaultAccessKeyId(account), secretAccessKey: defaultSecretAccessKey(account) };
}
