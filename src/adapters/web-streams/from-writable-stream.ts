import { fileClass } from '../../io/core/file-class.js';
import type { Async, OutputStream } from '../../io/core/interfaces.js';
import { isWritableStream } from '../../platform/stream-guards.js';
import { describe } from '../../util/validate.js';

/** An output stream writing to a WHATWG `WritableStream`. */
class WritableStreamFile extends fileClass<Async<OutputStream>>() {
  constructor(stream: WritableStream<Uint8Array>) {
    const writer = stream.getWriter();
    super(
      {
        // The stream keeps its chunks, and the caller may reuse its memory: hand over a copy.
        write: (bytes) => writer.write(bytes.slice()),
        flush: () => writer.ready,
        close: () => writer.close(),
        abort: (reason) => writer.abort(reason),
      },
      { kind: 'WritableStreamFile', mode: 'wb', seekable: false, sync: false },
    );
  }
}

/**
 * An async output stream writing to `stream` (it locks the stream; closing the file closes
 * the stream). Each write resolves once the stream has taken the chunk.
 */
export function fromWritableStream(stream: WritableStream<Uint8Array>): Async<OutputStream> {
  if (!isWritableStream(stream)) throw new TypeError(`stream must be a WritableStream, got ${describe(stream)}`);
  return new WritableStreamFile(stream);
}
