import http from 'node:http';
import net from 'node:net';
import type { ConsoleProcess } from '@/scripts/console-process';

// Helpers for tests that run several console processes as replicas behind one public URL.

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request to one replica, as the load balancer forwards it: the Host is the console's public one. */
export function callReplica(
  publicUrl: string,
  replica: ConsoleProcess,
  pathname: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  const target = new URL(pathname, replica.url);
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new Promise<Answer>((resolve, reject) => {
    const request = http.request(
      target,
      {
        method: init.method ?? 'GET',
        headers: {
          host: new URL(publicUrl).host,
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Polls until `done` holds (bounded: these are outcomes, not timings); `context` adds the processes' last log lines. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  context: () => string = () => '',
  attempts = 200,
): Promise<T> {
  let value = await read();
  for (let attempt = 0; !done(value) && attempt < attempts; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    value = await read();
  }
  if (!done(value)) throw new Error(`${what}: still ${JSON.stringify(value)}\n${context()}`);
  return value;
}
