/**
 * Where resumable uploads keep their tokens between runs: one small JSON file per upload in
 * a folder (OPFS in browsers, the disk in Node), named by a hash of the store, the path and
 * the source's fingerprint. A crash mid-save leaves the previous record. One call at a time
 * works on a record: {@link UploadStore.lock} (Web Locks, a lock file; else
 * {@link inProcessLock}) makes a second call for the same key wait for the first.
 * @module
 */
import { IOError } from '../../errors.js';
import { untilAborted } from '../../util/until-aborted.js';
import type { SourceFingerprint } from './fingerprint.js';

/** What is kept of an upload. */
export interface UploadRecord {
  /** The path uploaded to. */
  readonly path: string;
  readonly fingerprint: SourceFingerprint;
  /** The latest resume token. */
  readonly token: string;
}

/**
 * A folder of upload records, one per key. A save replaces the record whole or not at all
 * (OPFS's `createWritable()` commits on close; on disk a temporary file is renamed over it).
 */
export interface UploadStore {
  /** The record under `key`, or `undefined` when there is none (or it cannot be read as one). */
  load(key: string): Promise<UploadRecord | undefined>;
  /** Saves `record` under `key`, replacing the one before. */
  save(key: string, record: UploadRecord): Promise<void>;
  /** Forgets the record under `key`, if any. */
  forget(key: string): Promise<void>;
  /**
   * Waits until no other call (in any page, worker or process the store's lock reaches)
   * works on `key`, then holds it until the function returned is called. Rejects with
   * `signal`'s reason if it aborts first. Without it, calls of this realm alone are serialised.
   */
  lock?(key: string, signal: AbortSignal | undefined): Promise<() => Promise<void>>;
}

/** The holders and waiters of each in-process lock: the promise the last one in line resolves on release. */
const queues = new Map<string, Promise<void>>();

/**
 * A lock on `name` within this realm (page, worker, process): waits for the calls that asked
 * before, or until `signal` aborts (its reason rejects; the turn passes on to the next).
 */
export async function inProcessLock(name: string, signal: AbortSignal | undefined): Promise<() => Promise<void>> {
  const before = queues.get(name) ?? Promise.resolve();
  let release = (): void => {};
  const mine = new Promise<void>((resolve) => (release = resolve));
  const last = before.then(() => mine);
  queues.set(name, last);
  const done = (): Promise<void> => {
    release();
    // The entry goes once the line has drained: a waiter that gives up (its signal) passes its
    // turn on, and the call asking next must still wait for those before it.
    void last.then(() => {
      if (queues.get(name) === last) queues.delete(name);
    });
    return Promise.resolve();
  };
  try {
    await untilAborted(before, signal);
  } catch (error) {
    await done();
    throw error;
  }
  return done;
}

/** The record `text` holds, or `undefined` when it is not one (torn by something else: start over). */
export function parseRecord(text: string): UploadRecord | undefined {
  try {
    const record = JSON.parse(text) as Partial<UploadRecord> | null;
    return typeof record?.token === 'string' && typeof record.path === 'string' ? (record as UploadRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Saves the latest of a run of records one save at a time: a save asked for while one runs
 * waits, and only the newest waiting one is written. A failure does not stop later saves;
 * {@link LatestSaver.settled} tells whether the last one written failed.
 */
export class LatestSaver {
  #running: Promise<void> = Promise.resolve();
  #next: UploadRecord | undefined;
  #failure: Error | undefined;

  constructor(
    readonly store: UploadStore,
    readonly key: string,
  ) {}

  /** Asks for `record` to be saved. */
  save(record: UploadRecord): void {
    const idle = this.#next === undefined;
    this.#next = record;
    if (!idle) return;
    this.#running = this.#running.then(async () => {
      const latest = this.#next!;
      this.#next = undefined;
      try {
        await this.store.save(this.key, latest);
        this.#failure = undefined; // the record is the latest again
      } catch (error) {
        this.#failure = error instanceof Error ? error : new IOError(`the save failed: ${String(error)}`, { cause: error });
      }
    });
  }

  /** Resolves once every save asked for is written: to the last one's failure, if it failed (the record kept is then older). */
  async settled(): Promise<Error | undefined> {
    while (this.#next !== undefined) await this.#running;
    await this.#running;
    return this.#failure;
  }
}
