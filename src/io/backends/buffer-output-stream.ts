import { allocateBuffer } from '../../memory/allocate-buffer.js';
import type { Buffer, BytesLike } from '../../memory/buffer.js';
import { checkPool, type MemoryPool } from '../../memory/memory-pool.js';
import type { ResizableBuffer } from '../../memory/resizable-buffer.js';
import { NativeFile } from '../native-file.js';

const INITIAL_CAPACITY = 1024;

/**
 * A growable in-memory output stream (Arrow's `BufferOutputStream`). The memory comes from
 * `pool` (the default pool if omitted) and at least doubles when full, so writing n bytes
 * costs O(n) in all. {@link BufferOutputStream.getValue} hands the bytes over without a copy.
 */
export class BufferOutputStream extends NativeFile {
  readonly mode = 'wb';
  readonly isSync = true;
  readonly #pool: MemoryPool | undefined;
  #buffer: ResizableBuffer | undefined;
  /** The buffer's bytes at full capacity, kept to make each write one `set`. */
  #bytes: Uint8Array = new Uint8Array(0);
  #result: Buffer | undefined;

  /** @param pool where the memory comes from; the default pool if omitted. */
  constructor(pool?: MemoryPool) {
    super();
    this.#pool = pool === undefined ? undefined : checkPool(pool, 'pool');
  }

  /**
   * The bytes written, as a Buffer of exactly that size. Closes the stream; calling it again
   * returns the same Buffer.
   */
  getValue(): Buffer {
    this.closeSync();
    return this.#result!;
  }

  /** Writes all of `data`; small writes take a short path, as they are this stream's main use. */
  override writeSync(data: BytesLike): number {
    if (!(data instanceof Uint8Array) || data.byteLength === 0 || this.closed) return super.writeSync(data);
    const end = this.position + data.byteLength;
    if (end > this.#bytes.byteLength) this.grow(end);
    this.#bytes.set(data, this.position);
    this.position = end;
    return data.byteLength;
  }

  protected isSeekable(): boolean {
    return false;
  }

  protected writeSyncImpl(position: number, bytes: Uint8Array): void {
    const end = position + bytes.byteLength;
    if (end > this.#bytes.byteLength) this.grow(end);
    this.#bytes.set(bytes, position);
  }

  protected sizeSyncImpl(): number {
    return this.position;
  }

  protected closeSyncImpl(): void {
    const buffer = this.#buffer ?? allocateBuffer(0, { pool: this.#pool, resizable: true });
    buffer.resize(this.position);
    this.#result = buffer;
    this.#buffer = undefined;
    this.#bytes = new Uint8Array(0);
  }

  private grow(needed: number): void {
    const capacity = Math.max(needed, this.#bytes.byteLength * 2, INITIAL_CAPACITY);
    if (this.#buffer === undefined) {
      this.#buffer = allocateBuffer(capacity, { pool: this.#pool, resizable: true });
    } else {
      this.#buffer.resize(capacity);
    }
    // Use the whole capacity: it is a multiple of 64 and may exceed what was asked.
    this.#buffer.resize(this.#buffer.capacity);
    this.#bytes = this.#buffer.view;
  }
}
