import type { BlockPool, MemoryBlock } from './block-pool.js';
import { cancelDropWhenCollected, dropWhenCollected, type Collectable } from './collection.js';

// Read once (see wasm-pool.ts's imports for why: Vite's module runner reads imports by getter).
const watchHolder = dropWhenCollected;
const unwatchHolder = cancelDropWhenCollected;

/**
 * Pool memory shared by a buffer and its slices. Each holder has one reference; the block
 * goes back to its pool when the last reference is dropped, by `release()` or, as a backstop,
 * when the holder is garbage-collected.
 *
 * Holders reach the backstop only through their allocation, so a Buffer over foreign memory
 * (`BufferReader`, a Blob's reads) brings none of this code into an app's bundle.
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

  /** Drops `holder`'s reference when `holder` is garbage-collected unreleased (a new holder). */
  watch(holder: Collectable): void {
    watchHolder(holder);
  }

  /** Drops the reference of `holder`, which released it itself (its `allocation` is `null` by now). */
  release(holder: Collectable): void {
    unwatchHolder(holder);
    this.drop();
  }
}
