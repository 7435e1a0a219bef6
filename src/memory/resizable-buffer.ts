import { Allocation } from './allocation.js';
import { roundUpToAlignment, viewOfBlock, type BlockPool } from './block-pool.js';
import { Buffer } from './buffer.js';
import { checkConstructing, CONSTRUCTING } from './constructing.js';
import { allocationChanged } from './collection.js';
import { checkSize } from '../util/validate.js';

/**
 * A pool buffer whose size can change (Arrow's `ResizableBuffer`).
 *
 * Growing past the capacity, {@link ResizableBuffer.reserve} past it, and shrinking with
 * `shrinkToFit` may move the bytes to another block. The rule that keeps this memory-safe:
 * **slices keep the block they were cut from.** When the buffer moves while slices of it are
 * alive (not yet released or collected), the old block stays allocated, held by the slices
 * alone, and the buffer copies its bytes to a fresh block; the old block goes back to the pool
 * when its last slice is released or collected. So a slice never reads or writes memory that
 * another buffer was given, and after the move it no longer sees writes to this buffer. Without
 * live slices the block is reallocated (in place where the pool can), which is what
 * growth-heavy users such as `BufferOutputStream` rely on for speed.
 *
 * A `view` (or a {@link Buffer.share} descriptor) taken before a move is a raw view of the old
 * block and, like a view of a released buffer, must not be used after it: take a slice instead
 * to keep bytes across a resize.
 */
export class ResizableBuffer extends Buffer {
  private constructor(token: symbol, allocation: Allocation, size: number) {
    // Checked before the arguments of super() are read: JavaScript may pass anything.
    checkConstructing(token, 'ResizableBuffer');
    super(token, allocation.block.buffer, allocation.block.address, size, true, null, allocation);
  }

  /** @internal A resizable buffer over `size` bytes of a new block from `pool`. */
  static allocate(pool: BlockPool, size: number): ResizableBuffer {
    return new ResizableBuffer(CONSTRUCTING, new Allocation(pool, pool.reserve(size)), size);
  }

  /** The bytes the buffer can hold before it must move (a multiple of 64). */
  get capacity(): number {
    this.checkLive();
    return this.allocation!.block.capacity;
  }

  /**
   * Changes the size to `newSize` bytes, keeping the leading bytes. Growing past the
   * capacity moves the bytes to a larger block; shrinking keeps the block unless `shrinkToFit`
   * is set. See the class notes for what happens to slices when the bytes move.
   * @throws RangeError for a negative or non-integer `newSize`.
   * @throws OutOfMemoryError if the pool cannot provide the new block; the buffer is unchanged.
   */
  resize(newSize: number, shrinkToFit = false): void {
    this.checkLive();
    checkSize(newSize, 'newSize');
    const capacity = this.allocation!.block.capacity;
    if (newSize > capacity || (shrinkToFit && roundUpToAlignment(newSize) < capacity)) this.#move(newSize);
    this.setBlockBytes(newSize);
  }

  /**
   * Ensures the capacity is at least `capacity` bytes without changing the size; may move the
   * bytes (see the class notes).
   * @throws RangeError for a negative or non-integer `capacity`.
   */
  reserve(capacity: number): void {
    this.checkLive();
    checkSize(capacity, 'capacity');
    if (capacity <= this.allocation!.block.capacity) return;
    this.#move(capacity);
    this.setBlockBytes(this.size);
  }

  /** Puts the bytes in a block of `capacity` bytes, applying the slice rule of the class notes. */
  #move(capacity: number): void {
    const allocation = this.allocation!;
    if (!allocation.shared) {
      allocation.block = allocation.pool.reallocate(allocation.block, capacity);
      return;
    }
    // Slices hold the old block: leave it to them and copy to a block of our own.
    const pool = allocation.pool;
    const block = pool.reserve(capacity);
    const kept = Math.min(this.size, block.capacity);
    viewOfBlock(block, kept).set(viewOfBlock(allocation.block, kept));
    this.allocation = new Allocation(pool, block);
    allocationChanged(this);
    allocation.drop();
  }
}
