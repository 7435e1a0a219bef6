/**
 * A counting semaphore for requests: at most `max` tasks run at once, the rest wait in
 * call order. Remote stores throttle clients that open too many connections, and browsers
 * queue beyond six per host anyway.
 * @module
 */
import { checkPositiveSize } from '../util/validate.js';

/** Runs tasks, at most `max` at a time. */
export class Limiter {
  readonly #max: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  /** @param max how many tasks may run at once (a positive integer). */
  constructor(max: number) {
    this.#max = checkPositiveSize(max, 'concurrency');
  }

  /** Runs `task` when a slot is free; settles as it does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running += 1;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next task, so the count never dips and overshoots.
      if (next !== undefined) next();
      else this.#running -= 1;
    }
  }
}

/**
 * Runs `task` for each of `items`, at most `max` at a time. Once one fails, no more start,
 * and the promise settles only when those running have: a caller told of a failure finds
 * nothing still changing behind it. It then rejects with the first failure.
 */
export async function eachLimited<T>(items: readonly T[], max: number, task: (item: T) => Promise<unknown>): Promise<void> {
  const limiter = new Limiter(max);
  let failure: { error: unknown } | undefined;
  await Promise.all(
    items.map((item) =>
      limiter.run(async () => {
        if (failure !== undefined) return;
        try {
          await task(item);
        } catch (error) {
          failure ??= { error };
        }
      }),
    ),
  );
  if (failure !== undefined) throw failure.error;
}
