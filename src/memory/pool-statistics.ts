import { allocateFrom } from './allocate-from.js';
import type { Buffer } from './buffer.js';
import type { MemoryBlock, MemoryPool } from './memory-pool.js';

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

  abstract releaseUnused(): void;
  abstract reserve(size: number): MemoryBlock;
  abstract reallocate(block: MemoryBlock, size: number): MemoryBlock;
  abstract free(block: MemoryBlock): void;
}
