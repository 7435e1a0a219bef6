/**
 * The page's side of the IO worker: starts it, checks it answers, sends calls and matches
 * replies, and turns every way a worker can fail (a 404, an error at start-up, no answer, a
 * crash or `terminate()` mid-operation) into an `EWORKER` {@link IOError} for every pending
 * and later call, never a hang.
 * @module
 */
import { IOError } from '../errors.js';
import { startDefaultWorker } from './default-worker.js';
import { handleOf, loadSharablePool } from './pool-loader.js';
import { watchWorkerPolicy } from './worker-policy.js';
import type { Operation, Operations, WorkerMessage } from './protocol.js';
import { fromWire } from './wire-errors.js';
import { untilAborted } from '../util/until-aborted.js';

/**
 * How long the start-up handshake may take by default, in milliseconds. A script that cannot
 * load fails at once by the worker's `error` event; this only bounds one that loads and never
 * answers. Generous, because the time includes fetching the worker's modules: a cold Vite dev
 * server serving them one by one on a busy machine took over 5 s.
 */
export const DEFAULT_START_TIMEOUT = 30_000;

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  progress?(done: number): void;
}

/** A connection to one IO worker. */
export class WorkerConnection {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #ready: Promise<void>;
  readonly #onFailure: () => void;
  #nextId = 1;
  #failure: IOError | undefined;

  private constructor(worker: Worker, startTimeout: number, onFailure: () => void) {
    this.#worker = worker;
    this.#onFailure = onFailure;
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => this.#settle(event.data));
    worker.addEventListener('error', (event: ErrorEvent) => {
      event.preventDefault?.();
      const detail = event.message
        ? `: ${event.message}`
        : ' (its script could not be fetched or run: a 404, a wrong MIME type, a CSP or syntax error)';
      this.#fail(`the nativefile IO worker failed${detail}`);
    });
    // A start that fails otherwise than by an error event or the timeout (the worker answers
    // `hello` with an error, the page's pool does not load, `hello` cannot be posted) fails the
    // connection as they do: else `failed` stays false and the package's own worker, never
    // replaced, leaves every later call to reject with that first error for the page's life.
    this.#ready = this.#handshake(startTimeout).catch((error: unknown) => {
      throw this.#fail(
        `the nativefile IO worker did not start: ${(error as Error | undefined)?.message ?? String(error)}`,
        error,
      );
    });
    this.#ready.catch(() => {}); // callers see the failure through their own calls
  }

  /** Whether the worker failed; every call then rejects with the same `EWORKER` error. */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /**
   * Calls `op` in the worker once it has started; `transfer` moves buffers instead of
   * copying. When `signal` aborts, the call rejects: at once while the worker is still
   * starting (it goes on starting), else once the worker was told to cancel it.
   */
  async call<K extends Operation>(
    op: K,
    args: Operations[K]['args'],
    transfer: Transferable[] = [],
    signal?: AbortSignal,
  ): Promise<Operations[K]['result']> {
    await untilAborted(this.#ready, signal);
    return this.#send(op, args, transfer, signal) as Promise<Operations[K]['result']>;
  }

  /**
   * Calls `op` (an `upload`), passing the worker's progress reports to `onProgress`. When
   * `signal` aborts, the worker is told to stop, and the call still settles with the worker's
   * own answer, so that the caller learns what was done before it stopped.
   */
  async track<K extends Operation>(
    op: K,
    args: Operations[K]['args'],
    transfer: Transferable[],
    onProgress: (done: number) => void,
    signal?: AbortSignal,
  ): Promise<Operations[K]['result']> {
    await this.#ready;
    if (this.#failure !== undefined) throw this.#failure;
    const id = this.#nextId++;
    const stop = () => this.post('cancel', { call: id });
    return new Promise<unknown>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, progress: onProgress });
      try {
        this.#worker.postMessage({ id, op, args }, transfer);
      } catch (error) {
        this.#pending.delete(id); // DataCloneError: nothing was sent
        throw error;
      }
      if (signal?.aborted) stop();
      else signal?.addEventListener('abort', stop, { once: true });
    }).finally(() => signal?.removeEventListener('abort', stop)) as Promise<Operations[K]['result']>;
  }

  /** Sends `op` without waiting for its answer (a finalizer closing a dropped file). */
  post<K extends Operation>(op: K, args: Operations[K]['args']): void {
    if (this.#failure === undefined) this.#send(op, args, []).catch(() => {});
  }

  #send(op: Operation, args: unknown, transfer: Transferable[], signal?: AbortSignal): Promise<unknown> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.#nextId++;
    let onAbort = (): void => {};
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        this.#worker.postMessage({ id, op, args }, transfer);
      } catch (error) {
        this.#pending.delete(id); // DataCloneError: nothing was sent
        throw error;
      }
      onAbort = () => {
        if (!this.#pending.delete(id)) return;
        this.post('cancel', { call: id });
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // Removed once the call settles: a long-lived signal would otherwise keep one per call.
    }).finally(() => signal?.removeEventListener('abort', onAbort));
  }

  #settle(reply: WorkerMessage): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    if ('progress' in reply) {
      pending.progress?.(reply.done);
      return;
    }
    this.#pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(fromWire(reply.error));
  }

  async #handshake(timeout: number): Promise<void> {
    const sharable = await loadSharablePool();
    const pool = sharable === undefined ? undefined : handleOf(sharable());
    const lock =
      typeof navigator !== 'undefined' && navigator.locks !== undefined ? `nativefile:worker:${crypto.randomUUID()}` : undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(this.#fail(`the nativefile IO worker did not answer within ${timeout} ms: is the worker URL right?`)),
        timeout,
      );
    });
    try {
      await Promise.race([this.#send('hello', { ...(pool ? { pool } : {}), ...(lock ? { lock } : {}) }, []), expired]);
    } finally {
      clearTimeout(timer);
    }
    // The worker holds this lock for its whole life: when it is granted here, the worker is gone.
    if (lock !== undefined) {
      // The request only settles after the worker is gone; nothing waits for it.
      navigator.locks
        .request(lock, () => {
          this.#fail('the nativefile IO worker stopped (it crashed or was terminated)');
        })
        .catch(() => {});
    }
  }

  /** Rejects every pending and later call with an `EWORKER` error saying `why` (caused by `cause`). */
  #fail(why: string, cause?: unknown): IOError {
    if (this.#failure !== undefined) return this.#failure;
    const failure = new IOError(why, { code: 'EWORKER', ...(cause === undefined ? {} : { cause }) });
    this.#failure = failure;
    for (const pending of this.#pending.values()) pending.reject(failure);
    this.#pending.clear();
    this.#onFailure();
    return failure;
  }

  static #default: WorkerConnection | undefined;
  static readonly #given = new WeakMap<Worker, WorkerConnection>();

  /**
   * The connection to `worker`, or to the package's own worker, started on first use and
   * started afresh after it failed. A worker the app gave stays failed: the app owns it.
   */
  static of(worker: Worker | undefined, startTimeout = DEFAULT_START_TIMEOUT): WorkerConnection {
    if (worker !== undefined) {
      let connection = WorkerConnection.#given.get(worker);
      if (connection === undefined) {
        connection = new WorkerConnection(worker, startTimeout, () => {});
        WorkerConnection.#given.set(worker, connection);
      }
      return connection;
    }
    if (WorkerConnection.#default === undefined || WorkerConnection.#default.failed) {
      watchWorkerPolicy();
      const started = startDefaultWorker();
      const connection: WorkerConnection = new WorkerConnection(started, startTimeout, () => {
        started.terminate();
        if (WorkerConnection.#default === connection) WorkerConnection.#default = undefined;
      });
      WorkerConnection.#default = connection;
    }
    return WorkerConnection.#default;
  }
}
