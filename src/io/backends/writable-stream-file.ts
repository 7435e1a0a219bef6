import { fileClass } from '../core/file-class.js';
import type { Async, OutputStream } from '../core/interfaces.js';

/**
 * An output stream writing to a WHATWG `WritableStream`. It locks the stream; closing the
 * file closes the stream. `fromWritableStream` and `outputStream` make these.
 */
export class WritableStreamFile extends fileClass<Async<OutputStream>>() {
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
