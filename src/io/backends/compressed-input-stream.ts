import { IOError } from '../../errors.js';
import { checkCodec, type Codec } from '../codec.js';
import { openDecompressor, type Decompressor } from '../decompressors.js';
import { checkFile } from '../check-file.js';
import { NativeFile } from '../native-file.js';

/**
 * Decompresses what it reads from `raw` (`gzip`, `deflate` or `deflate-raw`) with the
 * platform's `DecompressionStream`; concatenated gzip members are read fully everywhere.
 * Async, not seekable. Corrupt or truncated input makes reads fail with an {@link IOError}.
 * Closing it closes `raw`.
 */
export class CompressedInputStream extends NativeFile {
  readonly mode = 'rb';
  readonly isSync = false;
  /** The compression format. */
  readonly codec: Codec;
  readonly #raw: NativeFile;
  #decompressor: Promise<Decompressor> | undefined;
  #pending: Uint8Array | undefined;

  constructor(raw: NativeFile, codec: Codec) {
    super();
    this.codec = checkCodec(codec);
    checkFile(raw, 'raw', 'readable');
    this.#raw = raw;
  }

  protected isSeekable(): boolean {
    return false;
  }

  protected async readAtImpl(_position: number, into: Uint8Array): Promise<number> {
    while (this.#pending === undefined || this.#pending.byteLength === 0) {
      this.#decompressor ??= openDecompressor(this.#raw, this.codec);
      let chunk: Uint8Array | undefined;
      try {
        chunk = await (await this.#decompressor).next();
      } catch (cause) {
        if (cause instanceof IOError) throw cause;
        throw new IOError(`${this.codec} data is corrupt or truncated: ${(cause as Error).message}`, {
          code: 'EINVAL', cause,
        });
      }
      if (chunk === undefined) return 0;
      this.#pending = chunk;
    }
    const count = Math.min(into.byteLength, this.#pending.byteLength);
    into.set(this.#pending.subarray(0, count));
    this.#pending = this.#pending.subarray(count);
    return count;
  }

  protected async closeImpl(): Promise<void> {
    this.#pending = undefined;
    if (this.#decompressor !== undefined) await (await this.#decompressor).cancel();
    await this.#raw.close();
  }
}
