import type { BlockPool, MemoryBlock } from './block-pool.js';

/**
 * Pool memory shared by a buffer and its slices. Each holder has one reference; the block
 * goes back to its pool when the last reference is dropped, by `release()` or, as a backstop,
 * when the holder is garbage-collected.
 */
export class Allocation {
  #references = 1;

  /**
   * @param pool where `block` came from and goes back to.
   * @param block the memory; replaced in place only while a single holder has it (see
   * {@link ResizableBuffer}).
   */
  constructor(
    readonly pool: BlockPool,
    public block: MemoryBlock,
  ) {}

  /** Whether more than one holder (a buffer and its slices) has a reference. */
  get shared(): boolean {
    return this.#references > 1;
  }

  /** Adds a reference, for a new slice. */
  retain(): void {
    this.#references += 1;
  }

  /** Drops a reference; the last one frees the block. */
  drop(): void {
    if (this.#references === 0) return;
    this.#references -= 1;
    if (this.#references === 0) this.pool.free(this.block);
  }
}
