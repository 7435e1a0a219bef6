import { checkSize, describe } from '../../util/validate.js';
import { unpooledFileClass } from '../core/unpooled-file-class.js';
import type { Async, RandomAccessFile } from '../core/interfaces.js';
import { BlobReadAhead } from '../../platform/blob-read-ahead.js';
import { andThen } from '../core/awaitable.js';
import type { Awaitable, UnderlyingFile } from '../core/underlying.js';

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
  readonly #slices: BlobReadAhead;

  constructor(
    readonly blob: Blob,
    readAhead: number,
  ) {
    this.#slices = new BlobReadAhead(readAhead);
  }

  size(): number {
    return this.blob.size;
  }

  // read, readAt and readBuffer return the bytes a Blob read made, without copying them.
  readFresh(position: number, length: number): Awaitable<Uint8Array> {
    return this.#slices.slice(this.blob, position, length);
  }

  readAt(position: number, into: Uint8Array): Awaitable<number> {
    return andThen(this.#slices.slice(this.blob, position, into.byteLength), (bytes) => {
      into.set(bytes);
      return bytes.byteLength;
    });
  }

  close(): void {
    this.#slices.forget();
  }
}

/**
 * A random-access reader over a `Blob` or `File` (the user's uploads). Each read slices the
 * Blob; a read that continues the previous one fetches at least `readAhead` bytes and serves
 * the reads that follow from them. Asynchronous: a Blob's bytes arrive by promise. Reads
 * return the memory the Blob's reads made (`readBuffer` wraps it, in no pool); only
 * `readInto` copies, into the caller's view.
 */
export class BlobFile extends unpooledFileClass<Async<RandomAccessFile>>() {
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
      // Reads read the Blob, which stays readable: closing need not wait for them.
      untrackedReads: true,
      knownSize: () => blob.size,
    });
    this.blob = blob;
  }
}
