import { checkSize, describe } from '../../util/validate.js';
import { fileClass } from '../core/file-class.js';
import type { Async, RandomAccessFile } from '../core/interfaces.js';
import type { UnderlyingFile } from '../core/underlying.js';

/** Options of {@link BlobFile}. */
export interface BlobFileOptions {
  /**
   * Bytes fetched at once when reads are sequential, so small sequential reads do not slice
   * the Blob each time (random reads fetch just what they ask). Default 256 KiB.
   */
  readAhead?: number;
}

/** Reads a Blob by slices, reading ahead while reads are sequential. */
class BlobSource implements UnderlyingFile {
  #cacheStart = 0;
  #cache: Uint8Array | undefined;
  /** Where the last read from the Blob ended: a read starting there is sequential. */
  #lastEnd = 0;

  constructor(
    readonly blob: Blob,
    readonly readAhead: number,
  ) {}

  size(): number {
    return this.blob.size;
  }

  readAt(position: number, into: Uint8Array): number | Promise<number> {
    const size = this.blob.size;
    if (position >= size) return 0;
    const cache = this.#cache;
    if (cache !== undefined && position >= this.#cacheStart && position < this.#cacheStart + cache.byteLength) {
      const from = position - this.#cacheStart;
      const count = Math.min(into.byteLength, cache.byteLength - from);
      into.set(cache.subarray(from, from + count));
      this.#lastEnd = position + count;
      return count;
    }
    return this.#fetch(position, into, size);
  }

  close(): void {
    this.#cache = undefined;
  }

  async #fetch(position: number, into: Uint8Array, size: number): Promise<number> {
    const sequential = position === this.#lastEnd;
    const end = Math.min(size, position + (sequential ? Math.max(into.byteLength, this.readAhead) : into.byteLength));
    this.#lastEnd = position + into.byteLength;
    const bytes = new Uint8Array(await this.blob.slice(position, end).arrayBuffer());
    const count = Math.min(into.byteLength, bytes.byteLength);
    into.set(bytes.subarray(0, count));
    if (count < bytes.byteLength) {
      this.#cacheStart = position;
      this.#cache = bytes;
    }
    return count;
  }
}

/**
 * A random-access reader over a `Blob` or `File` (the user's uploads). Each read slices the
 * Blob; a read that continues the previous one fetches at least `readAhead` bytes and serves
 * the reads that follow from them. Asynchronous: a Blob's bytes arrive by promise.
 */
export class BlobFile extends fileClass<Async<RandomAccessFile>>() {
  /** The Blob being read. */
  readonly blob: Blob;

  constructor(blob: Blob, options: BlobFileOptions = {}) {
    if (typeof Blob === 'undefined' || !(blob instanceof Blob)) {
      throw new TypeError(`blob must be a Blob or File, got ${describe(blob)}`);
    }
    const readAhead = checkSize(options.readAhead ?? 256 * 1024, 'options.readAhead');
    super(new BlobSource(blob, readAhead), {
      kind: 'BlobFile',
      mode: 'rb',
      seekable: true,
      sync: false,
      knownSize: () => blob.size,
    });
    this.blob = blob;
  }
}
