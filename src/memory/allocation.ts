import type { MemoryBlock, MemoryPool } from './memory-pool.js';

/**
 * Pool memory shared by a buffer and its slices. Each buffer holds one reference; the block
 * goes back to its pool when the last reference is dropped, by `release()` or, as a backstop,
 * when the buffer is garbage-collected.
 */
export class Allocation {
  #references = 1;

  constructor(
    readonly pool: MemoryPool,
    public block: MemoryBlock,
  ) {}

  /** Whether the block has gone back to the pool. */
  get freed(): boolean {
    return this.#references === 0;
  }

  retain(): void {
    this.#references += 1;
  }

  drop(): void {
    if (this.#references === 0) return;
    this.#references -= 1;
    if (this.#references === 0) this.pool.free(this.block);
  }
}

const collected = new FinalizationRegistry<Allocation>((allocation) => allocation.drop());

/** Drops `holder`'s reference to `allocation` when `holder` is garbage-collected. */
export function dropWhenCollected(holder: object, allocation: Allocation): void {
  collected.register(holder, allocation, holder);
}

/** Cancels {@link dropWhenCollected}, for a holder that dropped its reference itself. */
export function cancelDropWhenCollected(holder: object): void {
  collected.unregister(holder);
}
