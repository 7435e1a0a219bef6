import { ClosedFileError, UnsupportedOperationError } from '../../errors.js';
import { bytesOf } from '../../memory/buffer.js';
import { fileClass } from '../core/file-class.js';
import type { Async, InputStream } from '../core/interfaces.js';
import type { UnderlyingFile } from '../core/underlying.js';

/** Reads chunks from a stream's reader, keeping what a read did not take. */
function readerSource(reader: ReadableStreamDefaultReader<unknown>): UnderlyingFile {
  let pending: Uint8Array | undefined;
  let cancelled: Promise<void> | undefined;
  /** The stream's error, once a read reported it. */
  let failed: { readonly error: unknown } | undefined;
  const cancel = () => (cancelled ??= reader.cancel());
  const next = () =>
    reader.read().catch((error: unknown) => {
      failed = { error };
      throw error;
    });
  return {
    async read(into) {
      while (pending === undefined || pending.byteLength === 0) {
        const { done, value } = await next();
        if (done) {
          // Cancelled by `close`: what this read waited for is not the end of the stream.
          if (cancelled !== undefined) throw new ClosedFileError('ReadableStreamFile closed while a read waited');
          return 0;
        }
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
    interrupt() {
      // Its failure is `close`'s to report.
      cancel().catch(() => {});
    },
    async close() {
      pending = undefined;
      // Cancelling an errored stream rejects with its error, which a read reported already:
      // closing after it succeeds (`await using` would otherwise throw it a second time).
      await cancel().catch((error: unknown) => {
        if (failed === undefined) throw error;
      });
    },
  };
}

/**
 * An input stream over a WHATWG `ReadableStream` of bytes: a fetch body, `File.stream()`...
 * It locks the stream; closing the file cancels it. `fromReadableStream` and `inputStream`
 * make these.
 */
export class ReadableStreamFile extends fileClass<Async<InputStream>>() {
  constructor(stream: ReadableStream) {
    super(readerSource(stream.getReader()), { kind: 'ReadableStreamFile', mode: 'rb', seekable: false, sync: false });
  }
}
