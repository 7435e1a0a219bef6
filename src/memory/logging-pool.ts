import { allocateFrom } from './allocate-from.js';
import type { Buffer } from './buffer.js';
import { checkPool, type MemoryBlock, type MemoryPool } from './memory-pool.js';
import { describe } from '../util/validate.js';

/** Receives one line per allocation event of a {@link loggingMemoryPool}. */
export type PoolLogger = (message: string) => void;

/** A pool that forwards to its parent and logs every allocation, reallocation and free. */
class LoggingMemoryPool implements MemoryPool {
  readonly #parent: MemoryPool;
  readonly #log: PoolLogger;

  constructor(parent: MemoryPool, log: PoolLogger) {
    this.#parent = parent;
    this.#log = log;
  }

  get backendName(): string {
    return this.#parent.backendName;
  }

  bytesAllocated(): number {
    return this.#parent.bytesAllocated();
  }

  maxMemory(): number {
    return this.#parent.maxMemory();
  }

  numAllocations(): number {
    return this.#parent.numAllocations();
  }

  allocate(size: number): Buffer {
    return allocateFrom(this, size);
  }

  releaseUnused(): void {
    this.#parent.releaseUnused();
  }

  reserve(size: number): MemoryBlock {
    const block = this.#parent.reserve(size);
    this.#log(`Allocate: size = ${size}, address = ${block.address}`);
    return block;
  }

  reallocate(block: MemoryBlock, size: number): MemoryBlock {
    const moved = this.#parent.reallocate(block, size);
    this.#log(`Reallocate: old_size = ${block.capacity}, new_size = ${size}, address = ${moved.address}`);
    return moved;
  }

  free(block: MemoryBlock): void {
    this.#parent.free(block);
    this.#log(`Free: size = ${block.capacity}, address = ${block.address}`);
  }
}

/**
 * A pool that allocates from `parent` and reports each event to `log` (standard error by
 * default), for debugging (PyArrow `logging_memory_pool`). Statistics are the parent's.
 */
export function loggingMemoryPool(parent: MemoryPool, log: PoolLogger = console.error): MemoryPool {
  checkPool(parent, 'parent');
  if (typeof log !== 'function') throw new TypeError(`log must be a function, got ${describe(log)}`);
  return new LoggingMemoryPool(parent, log);
}
