import type { Async, InputStream } from '../../io/core/interfaces.js';
import { ReadableStreamFile } from '../../io/backends/readable-stream-file.js';
import { isReadableStream } from '../../platform/stream-guards.js';
import { describe } from '../../util/validate.js';

/**
 * An async, non-seekable input stream reading `stream`, native or ponyfilled (it locks the
 * stream; closing the file cancels it). Errors of the stream reject the reads with the same error.
 */
export function fromReadableStream(stream: ReadableStream): Async<InputStream> {
  if (!isReadableStream(stream)) throw new TypeError(`stream must be a ReadableStream, got ${describe(stream)}`);
  return new ReadableStreamFile(stream);
}
