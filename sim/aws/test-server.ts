import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildWorld } from '../build-world';
import { createControlHandler, isControlPath } from '../control';
import { parseScenario } from '../scenario/load';
import type { SimWorld } from '../world';
import { createAwsHandler } from './server';

/** Starts the AWS endpoint and the control endpoint on 127.0.0.1 for a scenario given as YAML (tests). */
export async function startAwsTestServer(scenarioYaml: string): Promise<{ world: SimWorld; url: string; close: () => Promise<void> }> {
  const world = buildWorld({ file: 'test.yaml', scenario: parseScenario(scenarioYaml, 'test.yaml'), objectFileDocuments: new Map() });
  const aws = createAwsHandler(world);
  const control = createControlHandler(world);
  const server = http.createServer((req, res) => (isControlPath(req.url) ? control(req, res) : aws(req, res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    world,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
