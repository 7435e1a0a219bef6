import { checkPool, type MemoryBlock, type MemoryPool } from './memory-pool.js';
import { CountingMemoryPool, type OwnedBlock } from './pool-statistics.js';

/**
 * A proxy's block: the parent's, wrapped, so that the proxy knows its own blocks (several
 * proxies may share a parent) and one freed already.
 */
interface ProxyBlock extends OwnedBlock {
  readonly parentBlock: MemoryBlock;
}

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
    return this.#own(block);
  }

  reallocate(block: MemoryBlock, size: number): MemoryBlock {
    const old = this.liveBlock(block, 'reallocate') as ProxyBlock;
    const moved = this.#parent.reallocate(old.parentBlock, size);
    old.owner = null;
    this.stats.didReallocate(old.capacity, moved.capacity);
    return this.#own(moved);
  }

  free(block: MemoryBlock): void {
    const own = this.liveBlock(block, 'free') as ProxyBlock;
    this.#parent.free(own.parentBlock);
    own.owner = null;
    this.stats.didFree(own.capacity);
  }

  #own(parentBlock: MemoryBlock): ProxyBlock {
    const { buffer, address, capacity } = parentBlock;
    return { buffer, address, capacity, owner: this, parentBlock };
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
