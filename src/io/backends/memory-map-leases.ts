/**
 * Which bytes of a writable memory map zero-copy Buffers still view, so that `resize()` never
 * cuts bytes from under one (Arrow refuses any resize "while there are active readers").
 * @module
 */
import { IOError, UnsupportedOperationError } from '../../errors.js';
import { Allocation } from '../../memory/allocation.js';
import type { BlockPool, MemoryBlock } from '../../memory/block-pool.js';
import { Buffer } from '../../memory/buffer.js';
import { describe } from '../../util/validate.js';

/**
 * The zero-copy Buffers of one writable map, as a pool whose blocks are leases on file ranges.
 *
 * A Buffer over pool memory already counts its holders: slices share one `Allocation`,
 * `release()` drops a reference, and a holder collected unreleased drops its own (the
 * backstop of collection.ts). Leasing through that machinery means a range stays leased
 * exactly while some Buffer or slice over it may still be read, and `free` is where the last
 * one let go. Nothing is ever reserved from this pool: it only lends bytes the map has.
 */
export class MapLeases implements BlockPool {
  readonly backendName = 'mmap';
  /** Each live lease and the file offset its bytes start at. */
  readonly #live = new Map<MemoryBlock, number>();
  #bytes = 0;
  #peak = 0;
  #count = 0;

  /**
   * A mutable Buffer over `length` bytes at `offset` in `mapping`, which are the bytes at
   * `position` in the file; they stay leased until it and every slice of it are released or
   * garbage-collected.
   */
  lend(mapping: ArrayBuffer, offset: number, length: number, position: number): Buffer {
    const lease: MemoryBlock = { buffer: mapping, address: offset, capacity: length };
    this.#live.set(lease, position);
    this.#bytes += length;
    this.#peak = Math.max(this.#peak, this.#bytes);
    this.#count += 1;
    return Buffer.fromAllocation(new Allocation(this, lease), length);
  }

  /**
   * Throws unless every leased range ends at or before `size`: cutting the file there would
   * change bytes a live Buffer views (on Linux they read as zeros, and a page wholly past the
   * new end faults).
   * @throws IOError code `EBUSY`, naming how many Buffers and the first offset they view.
   */
  checkCut(size: number, path: string): void {
    let count = 0;
    let first = Infinity;
    for (const [lease, position] of this.#live) {
      if (position + lease.capacity > size) {
        count += 1;
        first = Math.min(first, position);
      }
    }
    if (count === 0) return;
    throw new IOError(
      `cannot resize the map of ${describe(path)} to ${size} bytes: ${count} zero-copy Buffer(s) from readBuffer() ` +
        `still view bytes past that (from offset ${first}). release() them and every slice of them first; ` +
        'a Buffer dropped without release() counts until it is garbage-collected',
      { code: 'EBUSY' },
    );
  }

  /** The last holder of `block` let go: the lease ends. */
  free(block: MemoryBlock): void {
    if (this.#live.delete(block)) this.#bytes -= block.capacity;
  }

  /** Bytes leased now. */
  bytesAllocated(): number {
    return this.#bytes;
  }

  /** The most bytes leased at once. */
  maxMemory(): number {
    return this.#peak;
  }

  /** How many leases were made. */
  numAllocations(): number {
    return this.#count;
  }

  /** Nothing is held back: leases end when their Buffers go. */
  releaseUnused(): void {}

  /** @throws UnsupportedOperationError: a map lends the bytes it has, it allocates none. */
  reserve(): MemoryBlock {
    throw new UnsupportedOperationError('a memory map lends its own bytes; it allocates no memory');
  }

  /** @throws UnsupportedOperationError: a map's Buffers have the size of the bytes they view. */
  reallocate(): MemoryBlock {
    throw new UnsupportedOperationError('a Buffer over a memory map cannot be resized');
  }
}
