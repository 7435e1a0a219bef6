import { checkSize, describe } from '../../util/validate.js';
import { NativeFile } from '../native-file.js';

/** Options of {@link BlobFile}. */
export interface BlobFileOptions {
  /**
   * Bytes fetched at once when reads are sequential, so small sequential reads do not slice
   * the Blob each time (random reads fetch just what they ask). Default 256 KiB.
   */
  readAhead?: number;
}

/**
 * A random-access reader over a `Blob` or `File` (the user's uploads). Each read slices the
 * Blob; a read that continues the previous one fetches at least `readAhead` bytes and serves
 * the reads that follow from them.
 */
export class BlobFile extends NativeFile {
  readonly mode = 'rb';
  readonly isSync = false;
  readonly #blob: Blob;
  readonly #readAhead: number;
  #cacheStart = 0;
  #cache: Uint8Array | undefined;
  /** Where the last read from the Blob ended: a read starting there is sequential. */
  #lastEnd = 0;

  constructor(blob: Blob, options: BlobFileOptions = {}) {
    super();
    if (typeof Blob === 'undefined' || !(blob instanceof Blob)) {
      throw new TypeError(`blob must be a Blob or File, got ${describe(blob)}`);
    }
    this.#blob = blob;
    this.#readAhead = checkSize(options.readAhead ?? 256 * 1024, 'options.readAhead');
  }

  /** The Blob being read. */
  get blob(): Blob {
    return this.#blob;
  }

  protected isSeekable(): boolean {
    return true;
  }

  protected sizeForSeek(): number {
    return this.#blob.size;
  }

  protected async sizeImpl(): Promise<number> {
    return this.#blob.size;
  }

  protected async readAtImpl(position: number, into: Uint8Array): Promise<number> {
    const size = this.#blob.size;
    if (position >= size || into.byteLength === 0) return 0;
    const cache = this.#cache;
    if (cache !== undefined && position >= this.#cacheStart && position < this.#cacheStart + cache.byteLength) {
      const from = position - this.#cacheStart;
      const count = Math.min(into.byteLength, cache.byteLength - from);
      into.set(cache.subarray(from, from + count));
      this.#lastEnd = position + count;
      return count;
    }
    const sequential = position === this.#lastEnd;
    const end = Math.min(size, position + (sequential ? Math.max(into.byteLength, this.#readAhead) : into.byteLength));
    this.#lastEnd = position + into.byteLength;
    const bytes = new Uint8Array(await this.#blob.slice(position, end).arrayBuffer());
    const count = Math.min(into.byteLength, bytes.byteLength);
    into.set(bytes.subarray(0, count));
    if (count < bytes.byteLength) {
      this.#cacheStart = position;
      this.#cache = bytes;
    }
    return count;
  }

  protected async closeImpl(): Promise<void> {
    this.#cache = undefined;
  }
}
