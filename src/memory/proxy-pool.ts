import { checkPool, type MemoryBlock, type MemoryPool } from './memory-pool.js';
import { CountingMemoryPool } from './pool-statistics.js';

/** A pool that takes its memory from a parent and keeps statistics of its own. */
class ProxyMemoryPool extends CountingMemoryPool {
  readonly #parent: MemoryPool;

  constructor(parent: MemoryPool) {
    super();
    this.#parent = parent;
  }

  get backendName(): string {
    return this.#parent.backendName;
  }

  releaseUnused(): void {
    this.#parent.releaseUnused();
  }

  reserve(size: number): MemoryBlock {
    const block = this.#parent.reserve(size);
    this.stats.didAllocate(block.capacity);
    return block;
  }

  reallocate(block: MemoryBlock, size: number): MemoryBlock {
    const oldBytes = block.capacity;
    const moved = this.#parent.reallocate(block, size);
    this.stats.didReallocate(oldBytes, moved.capacity);
    return moved;
  }

  free(block: MemoryBlock): void {
    this.#parent.free(block);
    this.stats.didFree(block.capacity);
  }
}

/**
 * A pool that allocates from `parent` and counts only its own allocations, so a part of an
 * application can measure what it uses (PyArrow `proxy_memory_pool`).
 */
export function proxyMemoryPool(parent: MemoryPool): MemoryPool {
  checkPool(parent, 'parent');
  return new ProxyMemoryPool(parent);
}
