import { IOError } from '../../errors.js';
import { describe } from '../../util/validate.js';
import { checkCodec, type Codec } from '../codec.js';
import { NativeFile } from '../native-file.js';

const READ_CHUNK = 64 * 1024;

/**
 * Decompresses what it reads from `raw` with the platform's `DecompressionStream`
 * (`gzip`, `deflate` or `deflate-raw`). Async, not seekable. Corrupt or truncated input makes
 * reads fail with an {@link IOError}. Closing it closes `raw`.
 */
export class CompressedInputStream extends NativeFile {
  readonly mode = 'rb';
  readonly isSync = false;
  /** The compression format. */
  readonly codec: Codec;
  readonly #raw: NativeFile;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #pending: Uint8Array | undefined;

  constructor(raw: NativeFile, codec: Codec) {
    super();
    if (!(raw instanceof NativeFile)) throw new TypeError(`raw must be a NativeFile, got ${describe(raw)}`);
    this.codec = checkCodec(codec);
    if (!raw.readable()) throw new TypeError(`raw must be readable, got one in mode '${raw.mode}'`);
    this.#raw = raw;
    const decompressor = new DecompressionStream(this.codec);
    this.#reader = decompressor.readable.getReader();
    void feed(raw, decompressor.writable.getWriter());
  }

  protected isSeekable(): boolean {
    return false;
  }

  protected async readAtImpl(_position: number, into: Uint8Array): Promise<number> {
    while (this.#pending === undefined || this.#pending.byteLength === 0) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await this.#reader.read();
      } catch (cause) {
        if (cause instanceof IOError) throw cause;
        throw new IOError(`${this.codec} data is corrupt or truncated: ${(cause as Error).message}`, {
          code: 'EINVAL', cause,
        });
      }
      if (result.done) return 0;
      this.#pending = result.value;
    }
    const count = Math.min(into.byteLength, this.#pending.byteLength);
    into.set(this.#pending.subarray(0, count));
    this.#pending = this.#pending.subarray(count);
    return count;
  }

  protected async closeImpl(): Promise<void> {
    this.#pending = undefined;
    await this.#reader.cancel().catch(() => {});
    await this.#raw.close();
  }
}

/** Copies `raw` into the decompressor as the decompressor asks for more (backpressure). */
async function feed(raw: NativeFile, writer: WritableStreamDefaultWriter<BufferSource>): Promise<void> {
  try {
    for (;;) {
      await writer.ready;
      const chunk = new Uint8Array(READ_CHUNK);
      const got = await raw.readInto(chunk);
      if (got === 0) break;
      await writer.write(chunk.subarray(0, got));
    }
    await writer.close();
  } catch (error) {
    await writer.abort(error).catch(() => {});
  }
}
