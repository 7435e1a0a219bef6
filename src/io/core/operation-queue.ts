/**
 * Orders a file's operations: each position-changing call starts when the calls before it
 * have settled, as a `WritableStream` queues writes, so `Promise.all([f.read(5), f.read(5)])`
 * reads bytes 0-4 then 5-9. An operation the backend answers at once (a synchronous backend,
 * or an asynchronous one serving bytes it read ahead) completes within the call when nothing
 * is pending, so it costs no extra tick: what a file's state is after a call not awaited
 * depends on timing. Positional reads run in parallel and are only tracked, so that `close`
 * waits for them (except where they use nothing `close` releases: `FileTraits.untrackedReads`).
 */
export class OperationQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;
  readonly #parallel = new Set<Promise<unknown>>();

  /** Whether any operation, ordered or positional, has not settled yet. */
  get active(): boolean {
    return this.#pending > 0 || this.#parallel.size > 0;
  }

  /** Whether an ordered operation has not settled yet. */
  get busy(): boolean {
    return this.#pending > 0;
  }

  /** Runs `start` after every ordered operation before it; `start` returns a value or a promise. */
  run<T>(start: () => T | PromiseLike<T>): Promise<T> {
    if (this.#pending === 0) {
      const result = start();
      if (!isThenable(result)) return Promise.resolve(result);
      return this.#track(Promise.resolve(result));
    }
    return this.#track(this.#tail.then(start));
  }

  /** Tracks an operation that may overlap others (a positional read). */
  parallel<T>(operation: Promise<T>): Promise<T> {
    this.#parallel.add(operation);
    const forget = () => void this.#parallel.delete(operation);
    operation.then(forget, forget);
    return operation;
  }

  /** Settles when every operation queued or started so far has settled. */
  async drained(): Promise<void> {
    await this.#tail;
    await Promise.allSettled([...this.#parallel]);
  }

  #track<T>(operation: Promise<T>): Promise<T> {
    this.#pending += 1;
    // The count drops in the operation's first reaction, registered before the caller gets the
    // promise: when the caller's `await` resumes, the operation no longer counts as pending, so
    // a synchronous call or the next read starts at once (a method that hands out this promise
    // itself, not through an `async` function's two extra jobs, would otherwise see it busy).
    this.#tail = operation.then(this.#settled, this.#settled);
    return operation;
  }

  readonly #settled = (): void => {
    this.#pending -= 1;
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
