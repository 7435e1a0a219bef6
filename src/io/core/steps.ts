/**
 * How each I/O algorithm is written once for synchronous and asynchronous callers: as a
 * generator that yields what the backend returned (a value or a promise) and gets the
 * settled value back. {@link runSync} answers each step at once; {@link runAsync} awaits
 * the promises, and takes no detour through the microtask queue while the backend answers
 * synchronously, so an operation on a synchronous backend completes within the call.
 * @module
 */
import { IOError } from '../../errors.js';
import type { Awaitable } from './underlying.js';

/** An algorithm in progress: it yields backend results and returns `T`. */
export type Steps<T> = Generator<unknown, T, unknown>;

/** Yielded between large pieces of work so an async caller lets the event loop run. */
export const YIELD_TO_EVENT_LOOP: unique symbol = Symbol('yield to the event loop');

/** One step: hands `value` to the driver and returns what it settles to. */
export function* settle<T>(value: Awaitable<T>): Generator<unknown, T, unknown> {
  return (yield value) as T;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** A backend said it was synchronous and was not: a bug in the backend, never the caller's. */
function notSynchronous(): IOError {
  return new IOError('a synchronous backend returned a promise', { code: 'EINTERNAL' });
}

/** What a synchronous backend returned, checked to be a value (the core's fast paths). */
export function syncValue<T>(value: Awaitable<T>): T {
  if (isThenable(value)) throw notSynchronous();
  return value;
}

/** Runs `steps` to the end on a synchronous backend. */
export function runSync<T>(steps: Steps<T>): T {
  let result = steps.next();
  while (!result.done) {
    const value = result.value;
    if (isThenable(value)) {
      const error = notSynchronous();
      steps.throw(error); // runs the algorithm's `finally` blocks
      throw error;
    }
    result = steps.next(value === YIELD_TO_EVENT_LOOP ? undefined : value);
  }
  return result.value;
}

/**
 * Runs `steps`, awaiting only the steps that are promises. Returns the result itself when
 * no step was a promise, so callers can tell an operation that already completed.
 */
export function runAsync<T>(steps: Steps<T>): T | Promise<T> {
  let result = steps.next();
  while (!result.done) {
    const value = result.value;
    if (isThenable(value) || value === YIELD_TO_EVENT_LOOP) return finishAsync(steps, value);
    result = steps.next(value);
  }
  return result.value;
}

async function finishAsync<T>(steps: Steps<T>, first: unknown): Promise<T> {
  let value = first;
  for (;;) {
    let result: IteratorResult<unknown, T>;
    try {
      let settled: unknown;
      if (value === YIELD_TO_EVENT_LOOP) await nextMacrotask();
      else settled = await value;
      result = steps.next(settled);
    } catch (error) {
      // The algorithm's own `finally` blocks run (releasing what it allocated) before it rethrows.
      result = steps.throw(error);
    }
    if (result.done) return result.value;
    value = result.value;
  }
}

let channel: MessageChannel | undefined;
const waiting: Array<() => void> = [];

/** Resolves after other tasks (timers, I/O callbacks, rendering) had their turn. */
export function nextMacrotask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  if (channel === undefined) {
    // A message is a task without setTimeout's clamping to 4 ms after a few nested calls.
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  const port = channel.port2;
  return new Promise((resolve) => {
    waiting.push(resolve);
    port.postMessage(null);
  });
}
