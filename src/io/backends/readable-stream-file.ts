import { UnsupportedOperationError } from '../../errors.js';
import { bytesOf } from '../../memory/buffer.js';
import { isReadableStream } from '../../streams/web-streams.js';
import { describe } from '../../util/validate.js';
import { NativeFile } from '../native-file.js';

/** An input stream over a WHATWG `ReadableStream` of bytes: a fetch body, `File.stream()`... */
class ReadableStreamFile extends NativeFile {
  readonly mode = 'rb';
  readonly isSync = false;
  readonly #reader: ReadableStreamDefaultReader<unknown>;
  /** What is left of the last chunk. */
  #pending: Uint8Array | undefined;

  constructor(stream: ReadableStream) {
    super();
    this.#reader = stream.getReader();
  }

  protected isSeekable(): boolean {
    return false;
  }

  protected async readAtImpl(_position: number, into: Uint8Array): Promise<number> {
    while (this.#pending === undefined || this.#pending.byteLength === 0) {
      const { done, value } = await this.#reader.read();
      if (done) return 0;
      this.#pending = bytesOf(value, 'a chunk of the stream');
    }
    const count = Math.min(into.byteLength, this.#pending.byteLength);
    into.set(this.#pending.subarray(0, count));
    this.#pending = this.#pending.subarray(count);
    return count;
  }

  protected async sizeImpl(): Promise<number> {
    throw new UnsupportedOperationError('the size of a ReadableStream is not known');
  }

  protected async closeImpl(): Promise<void> {
    this.#pending = undefined;
    await this.#reader.cancel();
  }
}

/**
 * An async, non-seekable input `NativeFile` reading `stream` (it locks the stream; closing
 * the file cancels it). Errors of the stream reject the reads with the same error.
 */
export function fromReadableStream(stream: ReadableStream): NativeFile {
  if (!isReadableStream(stream)) throw new TypeError(`stream must be a ReadableStream, got ${describe(stream)}`);
  return new ReadableStreamFile(stream);
}
