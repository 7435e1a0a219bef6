import { OutOfMemoryError } from '../../errors.js';
import { allocateBuffer } from '../../memory/allocate-buffer.js';
import type { Buffer } from '../../memory/buffer.js';
import { checkPool, type MemoryPool } from '../../memory/memory-pool.js';
import type { ResizableBuffer } from '../../memory/resizable-buffer.js';
import { fileClass } from '../core/file-class.js';
import { closeStillPending } from '../core/file-core.js';
import type { SyncOutputStream } from '../core/interfaces.js';
import type { UnderlyingFile } from '../core/underlying.js';

const INITIAL_CAPACITY = 1024;

/** Growable pool memory that writes append to; {@link GrowableSink.finish} hands it over. */
class GrowableSink implements UnderlyingFile {
  #buffer: ResizableBuffer | undefined;
  /** The buffer's bytes at full capacity, kept to make each write one `set`. */
  #bytes: Uint8Array = new Uint8Array(0);
  #size = 0;
  result: Buffer | undefined;

  constructor(readonly pool: MemoryPool | undefined) {}

  write(bytes: Uint8Array): void {
    const end = this.#size + bytes.byteLength;
    if (end > this.#bytes.byteLength) this.#grow(end);
    this.#bytes.set(bytes, this.#size);
    this.#size = end;
  }

  size(): number {
    return this.#size;
  }

  close(): void {
    const buffer = this.#buffer ?? allocateBuffer(0, { pool: this.pool, resizable: true });
    // Shrunk to fit, as Arrow's `Finish` does, when that frees at least a quarter of what the
    // bytes take: the system pool shrinks by a copy (64 MiB in a 128 MiB block: 64 ms, where
    // keeping costs nothing), worth it for half a block unused, not for a few percent.
    buffer.resize(this.#size, buffer.capacity - this.#size >= this.#size / 4);
    this.result = buffer;
    this.#buffer = undefined;
    this.#bytes = new Uint8Array(0);
  }

  /** At least doubles, so n bytes cost O(n) in all; falls back to the exact need when a pool is nearly full. */
  #grow(needed: number): void {
    const doubled = Math.max(needed, this.#bytes.byteLength * 2, INITIAL_CAPACITY);
    try {
      this.#reserve(doubled);
    } catch (error) {
      if (!(error instanceof OutOfMemoryError) || doubled === needed) throw error;
      this.#reserve(needed);
    }
    // Use the whole capacity: it is a multiple of 64 and may exceed what was asked.
    this.#buffer!.resize(this.#buffer!.capacity);
    this.#bytes = this.#buffer!.view;
  }

  #reserve(capacity: number): void {
    if (this.#buffer === undefined) this.#buffer = allocateBuffer(capacity, { pool: this.pool, resizable: true });
    else this.#buffer.reserve(capacity);
  }
}

/**
 * A growable in-memory output stream (Arrow's `BufferOutputStream`). The memory comes from
 * `pool` (the default pool if omitted) and at least doubles when full, so writing n bytes
 * costs O(n) in all. {@link BufferOutputStream.getValue} hands the bytes over without a copy.
 */
export class BufferOutputStream extends fileClass<SyncOutputStream>() {
  readonly #sink: GrowableSink;

  /** @param pool where the memory comes from; the default pool if omitted. */
  constructor(pool?: MemoryPool) {
    const sink = new GrowableSink(pool === undefined ? undefined : checkPool(pool, 'pool'));
    super(sink, { kind: 'BufferOutputStream', mode: 'wb', seekable: false, sync: true });
    this.#sink = sink;
  }

  /**
   * The bytes written, as a Buffer of exactly that size. Closes the stream; calling it again
   * returns the same Buffer.
   */
  getValue(): Buffer {
    this.closeSync();
    return this.#sink.result ?? closeStillPending('BufferOutputStream');
  }
}
