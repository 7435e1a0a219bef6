import { IOError } from '../errors.js';

/**
 * AbortSignal helpers that run where `AbortSignal.any` is missing (Safari before 17.4).
 * @module
 */

/**
 * A signal that aborts when any of `signals` does, with its reason. Where `AbortSignal.any`
 * is missing, the inputs hold the result only weakly (as `AbortSignal.any`'s do): keep the
 * signal itself, not only a listener on it, for as long as it is needed.
 */
export function anySignal(signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length === 1) return present[0]!;
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(present);
  return combineByHand(present);
}

/**
 * The fallback's bookkeeping. Built as `AbortSignal.any` is: an input holds the signals that
 * follow it only weakly, through one listener of its own, so that an app-wide signal given to
 * thousands of reads neither piles up listeners nor keeps each read's combined signal alive.
 */
interface Follower {
  readonly controller: AbortController;
  /** The combined signal, weakly: the one entry every input's set holds for it. */
  readonly ref: WeakRef<AbortSignal>;
  readonly inputs: readonly AbortSignal[];
}

/** An input's one 'abort' listener and the combined signals it tells. */
interface Followed {
  readonly followers: Set<WeakRef<AbortSignal>>;
  readonly listener: () => void;
  /** The set's size at which dead entries are swept next (finalization may come late). */
  sweepAt: number;
}

const SWEEP_FROM = 64;
const followed = new WeakMap<AbortSignal, Followed>();
/** Keyed by the combined signal: its controller lives exactly as long as the signal does. */
const followers = new WeakMap<AbortSignal, Follower>();
/** Drops a collected combined signal's entries, and the inputs' listeners left with none. */
const collected = new FinalizationRegistry<Omit<Follower, 'controller'>>((gone) => unfollow(gone));

function combineByHand(inputs: readonly AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  const already = inputs.find((input) => input.aborted);
  if (already !== undefined) {
    controller.abort(already.reason);
    return controller.signal;
  }
  const ref = new WeakRef(controller.signal);
  const follower: Follower = { controller, ref, inputs };
  followers.set(controller.signal, follower);
  collected.register(controller.signal, { ref, inputs }, ref);
  for (const input of inputs) follow(input, ref);
  return controller.signal;
}

function follow(input: AbortSignal, ref: WeakRef<AbortSignal>): void {
  let entry = followed.get(input);
  if (entry === undefined) {
    const created: Followed = { followers: new Set(), listener: () => abortFollowers(input, created), sweepAt: SWEEP_FROM };
    input.addEventListener('abort', created.listener, { once: true });
    followed.set(input, created);
    entry = created;
  }
  entry.followers.add(ref);
  if (entry.followers.size >= entry.sweepAt) {
    for (const each of entry.followers) if (each.deref() === undefined) entry.followers.delete(each);
    entry.sweepAt = Math.max(SWEEP_FROM, 2 * entry.followers.size);
  }
}

function abortFollowers(input: AbortSignal, entry: Followed): void {
  followed.delete(input);
  for (const ref of [...entry.followers]) {
    const signal = ref.deref();
    const follower = signal === undefined ? undefined : followers.get(signal);
    if (follower === undefined) continue;
    // Aborted now: it no longer needs its other inputs, nor they it.
    unfollow(follower);
    collected.unregister(ref);
    follower.controller.abort(input.reason);
  }
}

function unfollow({ ref, inputs }: Omit<Follower, 'controller'>): void {
  for (const input of inputs) {
    const entry = followed.get(input);
    if (entry === undefined || !entry.followers.delete(ref) || entry.followers.size > 0) continue;
    input.removeEventListener('abort', entry.listener);
    followed.delete(input);
  }
}

/** The longest delay `setTimeout` keeps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * `signal` combined with a timer of `ms` milliseconds (none when 0) whose abort reason is an
 * `ETIMEDOUT` IOError saying `what`; `clear()` stops the timer once the wait is over.
 */
export function timeoutSignal(
  signal: AbortSignal | undefined,
  ms: number,
  what: string,
): { signal: AbortSignal | undefined; clear: () => void } {
  if (ms === 0) return { signal, clear: () => {} };
  const timer = new AbortController();
  // A timer holds at most 2^31 - 1 ms (24.8 days) and fires a longer one at once: a wait that
  // long is as good as none, so it is cut there.
  const delay = Math.min(ms, MAX_TIMER_MS);
  const id = setTimeout(() => timer.abort(new IOError(`no answer from ${what} in ${ms} ms`, { code: 'ETIMEDOUT' })), delay);
  return { signal: anySignal([signal, timer.signal]), clear: () => clearTimeout(id) };
}

/** Throws the signal's reason if it has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}
