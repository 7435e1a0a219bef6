import type { Async, OutputStream } from '../../io/core/interfaces.js';
import { WritableStreamFile } from '../../io/backends/writable-stream-file.js';
import { isWritableStream } from '../../platform/stream-guards.js';
import { describe } from '../../util/validate.js';

/**
 * An async output stream writing to `stream` (it locks the stream; closing the file closes
 * the stream). Each write resolves once the stream has taken the chunk.
 */
export function fromWritableStream(stream: WritableStream<Uint8Array>): Async<OutputStream> {
  if (!isWritableStream(stream)) throw new TypeError(`stream must be a WritableStream, got ${describe(stream)}`);
  return new WritableStreamFile(stream);
}
