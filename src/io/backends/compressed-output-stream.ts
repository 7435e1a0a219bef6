import { checkCodec, type Codec } from '../codec.js';
import { checkFile } from '../check-file.js';
import { NativeFile } from '../native-file.js';

/**
 * Compresses what is written to it with the platform's `CompressionStream` (`gzip`,
 * `deflate` or `deflate-raw`) and writes the result to `raw`. Async, not seekable. The
 * compressed stream is complete only after `close()`, which also closes `raw`.
 */
export class CompressedOutputStream extends NativeFile {
  readonly mode = 'wb';
  readonly isSync = false;
  /** The compression format. */
  readonly codec: Codec;
  readonly #raw: NativeFile;
  readonly #writer: WritableStreamDefaultWriter<BufferSource>;
  readonly #drained: Promise<void>;

  constructor(raw: NativeFile, codec: Codec) {
    super();
    this.codec = checkCodec(codec);
    checkFile(raw, 'raw', 'writable');
    this.#raw = raw;
    const compressor = new CompressionStream(this.codec);
    this.#writer = compressor.writable.getWriter();
    this.#drained = drain(compressor.readable.getReader(), raw);
    // The error surfaces through write() and close(); keep it from being unhandled meanwhile.
    this.#drained.catch(() => {});
  }

  protected isSeekable(): boolean {
    return false;
  }

  protected async writeImpl(_position: number, bytes: Uint8Array): Promise<void> {
    await this.#writer.ready;
    // The compressor may hold the chunk after this returns, and the caller may reuse its memory.
    await this.#writer.write(bytes.slice());
  }

  protected async sizeImpl(): Promise<number> {
    return this.position;
  }

  protected async flushImpl(): Promise<void> {
    await this.#writer.ready;
  }

  protected async closeImpl(): Promise<void> {
    try {
      await this.#writer.close();
      await this.#drained;
    } finally {
      await this.#raw.close();
    }
  }
}

/**
 * Writes the compressor's output to `raw` as it comes. If `raw` fails, cancelling the
 * compressor's output errors its input, so pending writes fail instead of waiting for room.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, raw: NativeFile): Promise<void> {
  try {
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      await raw.write(result.value);
    }
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  }
}
