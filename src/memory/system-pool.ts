import { roundUpToAlignment, type MemoryBlock, type MemoryPool } from './memory-pool.js';
import { CountingMemoryPool, type OwnedBlock } from './pool-statistics.js';
import { OutOfMemoryError } from '../errors.js';
import { checkSize } from '../util/validate.js';

/** The system pool: each block is its own `ArrayBuffer`, handed back to the garbage collector on free. */
class SystemMemoryPool extends CountingMemoryPool {
  readonly backendName = 'system';

  releaseUnused(): void {
    // Freed ArrayBuffers belong to the garbage collector; there is nothing held back.
  }

  reserve(size: number): MemoryBlock {
    const capacity = roundUpToAlignment(checkSize(size, 'size'));
    const block: OwnedBlock = { buffer: newArrayBuffer(capacity), address: 0, capacity, owner: this };
    this.stats.didAllocate(capacity);
    return block;
  }

  reallocate(block: MemoryBlock, size: number): MemoryBlock {
    const old = this.liveBlock(block, 'reallocate');
    const capacity = roundUpToAlignment(checkSize(size, 'size'));
    const buffer = newArrayBuffer(capacity);
    new Uint8Array(buffer).set(new Uint8Array(old.buffer, 0, Math.min(old.capacity, capacity)));
    old.owner = null;
    this.stats.didReallocate(old.capacity, capacity);
    const moved: OwnedBlock = { buffer, address: 0, capacity, owner: this };
    return moved;
  }

  free(block: MemoryBlock): void {
    this.liveBlock(block, 'free').owner = null;
    this.stats.didFree(block.capacity);
  }
}

function newArrayBuffer(capacity: number): ArrayBuffer {
  try {
    return new ArrayBuffer(capacity);
  } catch (cause) {
    throw new OutOfMemoryError(`the system pool could not allocate ${capacity} bytes`, { cause });
  }
}

let instance: SystemMemoryPool | undefined;

/** The process-wide system pool: one `ArrayBuffer` per allocation. */
export function systemMemoryPool(): MemoryPool {
  instance ??= new SystemMemoryPool();
  return instance;
}
