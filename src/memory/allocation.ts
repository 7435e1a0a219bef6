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

/** What the backstop needs to know of a buffer: whether it gave its reference back itself. */
export interface Releasable {
  readonly isReleased: boolean;
}

/** A holder waiting to be registered for collection, or registered. */
export interface Registration {
  holder: Releasable | undefined;
  readonly allocation: Allocation;
  registered: boolean;
}

const collected = new FinalizationRegistry<Allocation>((allocation) => allocation.drop());
let pending: Registration[] = [];
const BATCH = 1024;

/**
 * Drops `holder`'s reference to `allocation` when `holder` is garbage-collected.
 *
 * Registering with a FinalizationRegistry costs several times what the allocation itself
 * does, and most buffers are released soon after they are made. So holders are registered
 * in batches, when the current job ends (a microtask) or after 1,024 more allocations, and
 * only those not released by then. Nothing is lost: finalizers never run during a job anyway.
 */
export function dropWhenCollected(holder: Releasable, allocation: Allocation): Registration {
  const registration: Registration = { holder, allocation, registered: false };
  const count = pending.push(registration);
  if (count === 1) queueMicrotask(registerPending);
  else if (count >= BATCH) registerPending();
  return registration;
}

/** Cancels {@link dropWhenCollected}, for a holder that dropped its reference itself. */
export function cancelDropWhenCollected(registration: Registration): void {
  if (registration.registered) collected.unregister(registration);
}

function registerPending(): void {
  const batch = pending;
  pending = [];
  for (const registration of batch) {
    const holder = registration.holder!;
    registration.holder = undefined;
    if (!holder.isReleased) {
      collected.register(holder, registration.allocation, registration);
      registration.registered = true;
    }
  }
}
