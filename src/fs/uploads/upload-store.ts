/**
 * Where resumable uploads keep their tokens between runs: one small JSON file per upload in
 * a folder (OPFS in browsers, the disk in Node), named by a hash of the store, the path and
 * the source's fingerprint. A crash mid-save leaves the previous record.
 * @module
 */
import { asError } from '../../remote/body-reader.js';
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
 * waits, and only the newest waiting one is written.
 */
export class LatestSaver {
  #running: Promise<void> = Promise.resolve();
  #next: UploadRecord | undefined;
  #failure: unknown;

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
      await this.store.save(this.key, latest).catch((error: unknown) => {
        this.#failure ??= error;
      });
    });
  }

  /** Resolves once every save asked for is written; rejects with the first failure. */
  async settled(): Promise<void> {
    while (this.#next !== undefined) await this.#running;
    await this.#running;
    if (this.#failure !== undefined) throw asError(this.#failure);
  }
}
