/**
 * The bottom of the memory layer: blocks of bytes and the pools that hand them out, with no
 * notion of {@link Buffer}. Buffers sit above this module; pools that return Buffers
 * ({@link MemoryPool}) sit above both. Keeping this module free of imports from the layers
 * above is what keeps src/memory free of import cycles.
 * @module
 */

import { IOError } from '../errors.js';

/** Pool memory is handed out in multiples of this many bytes, aligned to it, as in Arrow. */
export const ALIGNMENT = 64;

/** Rounds `size` up to the next multiple of {@link ALIGNMENT}. */
export function roundUpToAlignment(size: number): number {
  return Math.ceil(size / ALIGNMENT) * ALIGNMENT;
}

/**
 * A block of memory owned by a pool: `capacity` bytes (a multiple of 64) at `address` in
 * `buffer`, the pool's memory. Pools hand out descriptions, not views: a view costs as much
 * as the rest of an allocation, and buffers make the one they need.
 */
export interface MemoryBlock {
  /** The pool's memory (for the system pool, the block's own `ArrayBuffer`). */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** The offset of the first byte in `buffer`, a multiple of 64. */
  readonly address: number;
  /** The size of the block in bytes, a multiple of 64. */
  readonly capacity: number;
}

/** A view over the first `size` bytes of `block`. */
export function viewOfBlock(block: MemoryBlock, size: number): Uint8Array {
  return new Uint8Array(block.buffer, block.address, size);
}

/**
 * The low-level half of a memory pool (Arrow's `memory_pool.h`): statistics and blocks of
 * bytes. A block obtained from `reserve` or `reallocate` must go back through `free` or
 * `reallocate` exactly once.
 */
export interface BlockPool {
  /** The name of the backend: `'system'`, `'wasm'`, or the parent's for wrapping pools. */
  readonly backendName: string;
  /** Bytes currently allocated from this pool (in 64-byte increments). */
  bytesAllocated(): number;
  /** The peak of {@link BlockPool.bytesAllocated} over the pool's life. */
  maxMemory(): number;
  /** How many allocations (and reallocations) this pool has made in all. */
  numAllocations(): number;
  /** Gives memory that is free but held back to the system, where the backend can. */
  releaseUnused(): void;
  /** A block of at least `size` bytes (rounded up to 64). */
  reserve(size: number): MemoryBlock;
  /**
   * A block of at least `size` bytes holding `block`'s leading bytes; `block` is freed. The
   * new block may be at the same address (grown or shrunk in place) or elsewhere.
   */
  reallocate(block: MemoryBlock, size: number): MemoryBlock;
  /**
   * Returns a block obtained from `reserve` or `reallocate`. The library's pools refuse any
   * other, changing nothing: an `IOError` with code `EDOUBLEFREE` for a block freed (or
   * reallocated) already, `EFOREIGN` for one that is not theirs; `reallocate` does the same.
   */
  free(block: MemoryBlock): void;
}

/**
 * The error of a pool that refuses to `free` or `reallocate` `block`, not one of its live
 * blocks, and changed nothing: `reason` says why (code `EFOREIGN`); without one, the block was
 * freed already (`EDOUBLEFREE`). `pool` names the pool in the message.
 */
export function refusedBlock(operation: string, block: MemoryBlock, pool: string, reason?: string): IOError {
  const what = `cannot ${operation} address ${block.address} (${block.capacity} bytes) in ${pool}: `;
  return reason === undefined
    ? new IOError(`${what}that block was freed already (double free)`, { code: 'EDOUBLEFREE' })
    : new IOError(what + reason, { code: 'EFOREIGN' });
}
