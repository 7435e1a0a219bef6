import { UnsupportedOperationError } from '../../errors.js';
import { fileClass } from '../../io/core/file-class.js';
import type { Async, InputStream } from '../../io/core/interfaces.js';
import type { UnderlyingFile } from '../../io/core/underlying.js';
import { bytesOf } from '../../memory/buffer.js';
import { isReadableStream } from '../../platform/stream-guards.js';
import { describe } from '../../util/validate.js';

/** Reads chunks from a stream's reader, keeping what a read did not take. */
function readerSource(reader: ReadableStreamDefaultReader<unknown>): UnderlyingFile {
  let pending: Uint8Array | undefined;
  return {
    async read(into) {
      while (pending === undefined || pending.byteLength === 0) {
        const { done, value } = await reader.read();
        if (done) return 0;
        pending = bytesOf(value, 'a chunk of the stream');
      }
      const count = Math.min(into.byteLength, pending.byteLength);
      into.set(pending.subarray(0, count));
      pending = pending.subarray(count);
      return count;
    },
    size() {
      throw new UnsupportedOperationError('the size of a ReadableStream is not known');
    },
    async close() {
      pending = undefined;
      await reader.cancel();
    },
  };
}

/** An input stream over a WHATWG `ReadableStream` of bytes: a fetch body, `File.stream()`... */
class ReadableStreamFile extends fileClass<Async<InputStream>>() {
  constructor(stream: ReadableStream) {
    super(readerSource(stream.getReader()), { kind: 'ReadableStreamFile', mode: 'rb', seekable: false, sync: false });
  }
}

/**
 * An async, non-seekable input stream reading `stream`, native or ponyfilled (it locks the
 * stream; closing the file cancels it). Errors of the stream reject the reads with the same error.
 */
export function fromReadableStream(stream: ReadableStream): Async<InputStream> {
  if (!isReadableStream(stream)) throw new TypeError(`stream must be a ReadableStream, got ${describe(stream)}`);
  return new ReadableStreamFile(stream);
}
