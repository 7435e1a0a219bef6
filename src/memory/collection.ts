/** What the backstop drops for a collected holder: its reference to pool memory (an `Allocation`). */
export interface Droppable {
  /** Drops the reference. */
  drop(): void;
}

/**
 * A holder of pool memory that the garbage-collection backstop can watch: a Buffer. The
 * holder is its own unregister token, so watching it costs no object besides the holder.
 */
export interface Collectable {
  /** The reference to drop when the holder is collected; `null` once it dropped it itself. */
  readonly allocation: Droppable | null;
  /** Whether the holder is registered with the FinalizationRegistry (not merely pending). */
  registered: boolean;
  /**
   * Called once the holder is registered: from then on its collection frees its memory, so
   * whatever else reaches that memory must keep the holder alive (a Buffer's view). Until
   * then the pending list holds the holder.
   */
  keepAlive(): void;
}

const collected = new FinalizationRegistry<Droppable>((allocation) => {
  // An exception thrown by a finalizer is an uncaught exception (fatal in Node), and there is
  // no caller to report it to: a pool that cannot take the block back keeps it.
  try {
    allocation.drop();
  } catch {
    // Nothing to do; see above.
  }
});
let pending: Collectable[] = [];
const BATCH = 1024;

/**
 * Drops `holder`'s reference to its allocation when `holder` is garbage-collected.
 *
 * Registering with a FinalizationRegistry costs several times what the allocation itself
 * does, and most buffers are released soon after they are made. So holders are registered
 * in batches, when the current job ends (a microtask) or after 1,024 more allocations, and
 * only those that still hold memory by then. Nothing is lost: finalizers never run during a
 * job anyway.
 */
export function dropWhenCollected(holder: Collectable): void {
  const count = pending.push(holder);
  if (count === 1) queueMicrotask(registerPending);
  else if (count >= BATCH) registerPending();
}

/**
 * Cancels {@link dropWhenCollected}, for a holder that dropped its reference itself (its
 * `allocation` is `null` by now, so a pending registration is skipped). Released holders at
 * the end of the list leave it at once, as one released right after it was made is: listed,
 * a released buffer stayed reachable, and its block with it (64 KiB system-pool buffers: 64 MB
 * held by a loop of 1,000), until the batch was registered, and every young collection in
 * between copied it (a released buffer also lets go of its memory, so one listed further up
 * holds only itself). The first stays, so that the list never empties here: the push onto an
 * empty list is what schedules the registration, once each time the list was emptied.
 */
export function cancelDropWhenCollected(holder: Collectable): void {
  if (holder.registered) {
    collected.unregister(holder);
    holder.registered = false;
  } else {
    while (pending.length > 1 && pending.at(-1)!.allocation === null) pending.pop();
  }
}

/** Makes the backstop drop the allocation `holder` holds now, after the holder switched blocks. */
export function allocationChanged(holder: Collectable): void {
  if (holder.registered && holder.allocation !== null) {
    collected.unregister(holder);
    collected.register(holder, holder.allocation, holder);
  }
  // A pending holder is registered later with whatever it holds then.
}

function registerPending(): void {
  const batch = pending;
  pending = [];
  for (const holder of batch) {
    const allocation = holder.allocation;
    if (allocation !== null && !holder.registered) {
      collected.register(holder, allocation, holder);
      holder.registered = true;
      holder.keepAlive();
    }
  }
}
