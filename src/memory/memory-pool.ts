import type { Buffer } from './buffer.js';
import { describe } from '../util/validate.js';

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
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly address: number;
  readonly capacity: number;
}

/** A view over the first `size` bytes of `block`. */
export function viewOfBlock(block: MemoryBlock, size: number): Uint8Array {
  return new Uint8Array(block.buffer, block.address, size);
}

/**
 * A source of memory for buffers, with statistics (Arrow's `MemoryPool`).
 *
 * `allocate` is what applications call. `reserve`, `reallocate` and `free` are the low-level
 * protocol that buffers and wrapping pools ({@link loggingMemoryPool}, {@link proxyMemoryPool})
 * use; a block obtained from `reserve` must go back through `free` exactly once.
 */
export interface MemoryPool {
  /** The name of the backend: `'system'`, `'wasm'`, or the parent's for wrapping pools. */
  readonly backendName: string;
  /** Bytes currently allocated from this pool (in 64-byte increments). */
  bytesAllocated(): number;
  /** The peak of {@link MemoryPool.bytesAllocated} over the pool's life. */
  maxMemory(): number;
  /** How many allocations (and reallocations) this pool has made in all. */
  numAllocations(): number;
  /** A new mutable buffer of `size` bytes, returned to the pool on `release()` or collection. */
  allocate(size: number): Buffer;
  /** Gives memory that is free but held back to the system, where the backend can. */
  releaseUnused(): void;
  /** Low-level: a block of at least `size` bytes (rounded up to 64). */
  reserve(size: number): MemoryBlock;
  /** Low-level: a block of at least `size` bytes holding `block`'s leading bytes; `block` is freed. */
  reallocate(block: MemoryBlock, size: number): MemoryBlock;
  /** Low-level: returns a block obtained from `reserve` or `reallocate`. */
  free(block: MemoryBlock): void;
}

/** Throws a `TypeError` unless `pool` looks like a {@link MemoryPool}; returns it. */
export function checkPool(pool: unknown, name: string): MemoryPool {
  const candidate = pool as Partial<MemoryPool> | null;
  const isPool =
    typeof candidate === 'object' && candidate !== null &&
    typeof candidate.reserve === 'function' && typeof candidate.reallocate === 'function' &&
    typeof candidate.free === 'function' && typeof candidate.bytesAllocated === 'function';
  if (!isPool) throw new TypeError(`${name} must be a MemoryPool, got ${describe(pool)}`);
  return candidate as MemoryPool;
}
