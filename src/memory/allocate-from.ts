import { Allocation } from './allocation.js';
import type { BlockPool } from './block-pool.js';
import { Buffer } from './buffer.js';

// Read once (see wasm-pool.ts's imports for why).
const NewAllocation = Allocation;
const BufferClass = Buffer;

/** A mutable buffer over `size` bytes of a new block from `pool`: what a pool's `allocate` returns. */
export function allocateFrom(pool: BlockPool, size: number): Buffer {
  return BufferClass.fromAllocation(new NewAllocation(pool, pool.reserve(size)), size);
}
