import { Buffer, type BytesLike } from '../../memory/buffer.js';
import { NativeFile } from '../native-file.js';

/**
 * A random-access reader over bytes in memory (Arrow's `BufferReader`). `readBuffer` returns
 * zero-copy slices that keep the source alive.
 */
export class BufferReader extends NativeFile {
  readonly mode = 'rb';
  readonly isSync = true;
  #buffer: Buffer;

  /** @param source a {@link Buffer}, an `ArrayBuffer`, a `SharedArrayBuffer` or any view. */
  constructor(source: BytesLike) {
    super();
    this.#buffer = source instanceof Buffer ? source : Buffer.wrap(source, { mutable: false });
  }

  /** Zero-copy: a slice of the source. Reads of a given length take a short path. */
  override readBufferSync(n?: number): Buffer {
    if (typeof n !== 'number' || !(n >= 0 && n <= Number.MAX_SAFE_INTEGER) || this.closed || n % 1 !== 0) {
      return super.readBufferSync(n);
    }
    // The position never passes the end: seeks past it throw and reads stop there.
    const start = this.position;
    const end = Math.min(start + n, this.#buffer.size);
    this.position = end;
    return this.#buffer.sliceUnchecked(start, end);
  }

  protected isSeekable(): boolean {
    return true;
  }

  protected readAtSyncImpl(position: number, into: Uint8Array): number {
    const bytes = this.#buffer.view;
    if (position >= bytes.byteLength) return 0;
    const count = Math.min(into.byteLength, bytes.byteLength - position);
    into.set(bytes.subarray(position, position + count));
    return count;
  }

  protected readBufferAtSyncImpl(position: number, length: number): Buffer {
    return this.#buffer.slice(position, length);
  }

  protected sizeSyncImpl(): number {
    return this.#buffer.size;
  }

  protected checkSeekTarget(position: number): void {
    const size = this.#buffer.size;
    if (position > size) {
      throw new RangeError(`cannot seek to ${position}, past the end of a buffer of ${size} bytes`);
    }
  }
}
