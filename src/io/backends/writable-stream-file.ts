import { isWritableStream } from '../../streams/web-streams.js';
import { describe } from '../../util/validate.js';
import { NativeFile } from '../native-file.js';

/** An output stream writing to a WHATWG `WritableStream`. */
class WritableStreamFile extends NativeFile {
  readonly mode = 'wb';
  readonly isSync = false;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;

  constructor(stream: WritableStream<Uint8Array>) {
    super();
    this.#writer = stream.getWriter();
  }

  protected isSeekable(): boolean {
    return false;
  }

  protected async writeImpl(_position: number, bytes: Uint8Array): Promise<void> {
    // The stream keeps its chunks, and the caller may reuse its memory: hand over a copy.
    await this.#writer.write(bytes.slice());
  }

  protected async sizeImpl(): Promise<number> {
    return this.position;
  }

  protected async flushImpl(): Promise<void> {
    await this.#writer.ready;
  }

  protected async closeImpl(): Promise<void> {
    await this.#writer.close();
  }
}

/**
 * An async output `NativeFile` writing to `stream` (it locks the stream; closing the file
 * closes the stream). Each write resolves once the stream has taken the chunk.
 */
export function fromWritableStream(stream: WritableStream<Uint8Array>): NativeFile {
  if (!isWritableStream(stream)) throw new TypeError(`stream must be a WritableStream, got ${describe(stream)}`);
  return new WritableStreamFile(stream);
}
