import type { Buffer } from './buffer.js';
import type { BlockPool } from './block-pool.js';
import { describe } from '../util/validate.js';

// The block layer's names, re-exported: this module is where users and the IO layer find pools.
export { ALIGNMENT, roundUpToAlignment, viewOfBlock, type BlockPool, type MemoryBlock } from './block-pool.js';

/**
 * A source of memory for buffers, with statistics (Arrow's `MemoryPool`).
 *
 * `allocate` is what applications call. `reserve`, `reallocate` and `free` (from
 * `BlockPool`, the internal interface below buffers) are the low-level protocol that buffers and wrapping pools
 * ({@link loggingMemoryPool}, {@link proxyMemoryPool}) use.
 */
export interface MemoryPool extends BlockPool {
  /** A new mutable buffer of `size` bytes, returned to the pool on `release()` or collection. */
  allocate(size: number): Buffer;
}

/**
 * Throws a `TypeError` unless `pool` has the methods of a {@link MemoryPool}; returns it. All
 * are checked, so that a wrong pool fails where it is given, not at its first allocation.
 */
export function checkPool(pool: unknown, name: string): MemoryPool {
  const candidate = pool as Partial<MemoryPool> | null;
  const isPool =
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.allocate === 'function' &&
    typeof candidate.reserve === 'function' &&
    typeof candidate.reallocate === 'function' &&
    typeof candidate.free === 'function' &&
    typeof candidate.bytesAllocated === 'function' &&
    typeof candidate.maxMemory === 'function' &&
    typeof candidate.numAllocations === 'function' &&
    typeof candidate.releaseUnused === 'function';
  if (!isPool) throw new TypeError(`${name} must be a MemoryPool, got ${describe(pool)}`);
  return candidate as MemoryPool;
}
