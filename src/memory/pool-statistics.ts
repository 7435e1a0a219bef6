import { allocateFrom } from './allocate-from.js';
import { refusedBlock, type MemoryBlock } from './block-pool.js';
import type { Buffer } from './buffer.js';
import type { MemoryPool } from './memory-pool.js';

/** A block a {@link CountingMemoryPool} handed out: `owner` is that pool while the block is live, then `null`. */
export interface OwnedBlock extends MemoryBlock {
  owner: CountingMemoryPool | null;
}

/** The statistics every pool keeps: current bytes, their peak, and the count of allocations. */
export class PoolStatistics {
  bytesAllocated = 0;
  maxMemory = 0;
  numAllocations = 0;

  didAllocate(bytes: number): void {
    this.bytesAllocated += bytes;
    this.numAllocations += 1;
    if (this.bytesAllocated > this.maxMemory) this.maxMemory = this.bytesAllocated;
  }

  didReallocate(oldBytes: number, newBytes: number): void {
    this.bytesAllocated += newBytes - oldBytes;
    // As Arrow's `DidReallocateBytes`: only growth counts as an allocation.
    if (newBytes > oldBytes) this.numAllocations += 1;
    if (this.bytesAllocated > this.maxMemory) this.maxMemory = this.bytesAllocated;
  }

  didFree(bytes: number): void {
    this.bytesAllocated -= bytes;
  }
}

/** A pool that keeps its own {@link PoolStatistics}; subclasses provide the memory. */
export abstract class CountingMemoryPool implements MemoryPool {
  abstract readonly backendName: string;
  protected readonly stats = new PoolStatistics();

  bytesAllocated(): number {
    return this.stats.bytesAllocated;
  }

  maxMemory(): number {
    return this.stats.maxMemory;
  }

  numAllocations(): number {
    return this.stats.numAllocations;
  }

  allocate(size: number): Buffer {
    return allocateFrom(this, size);
  }

  /**
   * `block` if it is a live block of this pool, for `free` or `reallocate` (which clear its
   * `owner` once done); else throws as the wasm pool does, changing nothing. Buffers only give
   * back live blocks, but the block protocol is public, and counting a double free would take
   * the statistics below zero.
   */
  protected liveBlock(block: MemoryBlock, operation: string): OwnedBlock {
    const owner = (block as Partial<OwnedBlock>).owner;
    if (owner === this) return block as OwnedBlock;
    throw refusedBlock(operation, block, 'this pool', owner === null ? undefined : 'it is not a block of this pool');
  }

  abstract releaseUnused(): void;
  abstract reserve(size: number): MemoryBlock;
  abstract reallocate(block: MemoryBlock, size: number): MemoryBlock;
  abstract free(block: MemoryBlock): void;
}
