import { Allocation } from './allocation.js';
import { Buffer } from './buffer.js';
import { viewOfBlock, type MemoryPool } from './memory-pool.js';
import { checkSize } from '../util/validate.js';

/**
 * A pool buffer whose size can change (Arrow's `ResizableBuffer`). Growing past the capacity
 * moves the bytes to a new block: slices and views taken before then keep the old block.
 */
export class ResizableBuffer extends Buffer {
  #size: number;

  private constructor(allocation: Allocation, size: number) {
    super(viewOfBlock(allocation.block, size), true, null, allocation);
    this.#size = size;
  }

  /** @internal A resizable buffer over `size` bytes of a new block from `pool`. */
  static allocate(pool: MemoryPool, size: number): ResizableBuffer {
    return new ResizableBuffer(new Allocation(pool, pool.reserve(size)), size);
  }

  /** The bytes the buffer can hold before it must move (a multiple of 64). */
  get capacity(): number {
    this.checkedBytes();
    return this.ownAllocation().block.capacity;
  }

  /**
   * Changes the size to `newSize` bytes, keeping the leading bytes. Growing past the
   * capacity reallocates; shrinking keeps the memory unless `shrinkToFit` is set.
   */
  resize(newSize: number, shrinkToFit = false): void {
    this.checkedBytes();
    checkSize(newSize, 'newSize');
    const allocation = this.ownAllocation();
    const capacity = allocation.block.capacity;
    if (newSize > capacity || (shrinkToFit && newSize < capacity)) {
      allocation.block = allocation.pool.reallocate(allocation.block, newSize);
    }
    this.#size = newSize;
    this.bytes = viewOfBlock(allocation.block, newSize);
  }

  /** Ensures the capacity is at least `capacity` bytes without changing the size. */
  reserve(capacity: number): void {
    this.checkedBytes();
    checkSize(capacity, 'capacity');
    const allocation = this.ownAllocation();
    if (capacity <= allocation.block.capacity) return;
    allocation.block = allocation.pool.reallocate(allocation.block, capacity);
    this.bytes = viewOfBlock(allocation.block, this.#size);
  }

  private ownAllocation(): Allocation {
    return this.allocation!;
  }
}
