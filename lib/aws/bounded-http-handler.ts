import 'server-only';
import { Transform, type Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';
import { currentCallSignal, eitherSignal } from '@/lib/limits/call-signal';
import { MAX_RESPONSE_BYTES, ReadLimitError } from '@/lib/limits/read-limits';

/**
 * The SDK's Node handler with two bounds: the deadline of the call under way (lib/limits/call-signal) aborts
 * the request itself, and an answer is cut off past MAX_RESPONSE_BYTES, so a hostile or broken endpoint can
 * neither hold a socket past the deadline nor fill the console's memory.
 */
export class BoundedHttpHandler extends NodeHttpHandler {
  constructor(private readonly maxBytes: number = MAX_RESPONSE_BYTES) {
    super();
  }

  override async handle(request: Parameters<NodeHttpHandler['handle']>[0], options: HttpHandlerOptions = {}) {
    const abortSignal = eitherSignal(options.abortSignal as AbortSignal | undefined, currentCallSignal());
    const result = await super.handle(request, { ...options, ...(abortSignal ? { abortSignal } : {}) });
    const body = result.response.body as Readable | undefined;
    if (body && typeof body.pipe === 'function') result.response.body = capBytes(body, this.maxBytes, `${request.hostname}${request.path}`);
    return result;
  }
}

/** A stream that passes at most `maxBytes` of `source` through, then fails and stops reading it. */
export function capBytes(source: Readable, maxBytes: number, what: string): Readable {
  let seen = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        source.destroy();
        callback(new ReadLimitError(`the answer from ${what} is larger than ${maxBytes} bytes; the console stopped reading it`));
        return;
      }
      callback(null, chunk);
    },
  });
  source.on('error', (error) => capped.destroy(error));
  return source.pipe(capped);
}
