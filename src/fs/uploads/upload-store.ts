/**
 * Where resumable uploads keep their tokens between runs: one small JSON file per upload in
 * a folder of a {@link FileSystem} (OPFS in browsers, the local disk in Node), named by a
 * hash of the store, the path and the source's fingerprint. Each save writes a temporary
 * file and moves it over the record, so a crash mid-save leaves the previous token.
 * @module
 */
import { FileNotFoundError } from '../../errors.js';
import type { FileSystem } from '../file-system.js';
import { joinPath } from '../paths.js';
import type { SourceFingerprint } from './fingerprint.js';

/** What is kept of an upload. */
export interface UploadRecord {
  /** The path uploaded to. */
  readonly path: string;
  readonly fingerprint: SourceFingerprint;
  /** The latest resume token. */
  readonly token: string;
}

/** A folder of upload records. */
export class UploadStore {
  constructor(
    readonly fs: FileSystem,
    readonly dir: string,
  ) {}

  /** The record under `key`, or `undefined` when there is none (or it cannot be read as one). */
  async load(key: string): Promise<UploadRecord | undefined> {
    let text: string;
    try {
      const file = await this.fs.openInputFile(this.#path(key));
      try {
        text = new TextDecoder().decode(await file.read());
      } finally {
        await file.close();
      }
    } catch (error) {
      if (error instanceof FileNotFoundError) return undefined;
      throw error;
    }
    try {
      const record = JSON.parse(text) as UploadRecord;
      return typeof record?.token === 'string' ? record : undefined;
    } catch {
      return undefined; // Torn by something else than us: start over.
    }
  }

  /** Saves `record` under `key`, replacing the one before. */
  async save(key: string, record: UploadRecord): Promise<void> {
    await this.fs.createDir(this.dir, { recursive: true });
    const temporary = `${this.#path(key)}.tmp`;
    const out = await this.fs.openOutputStream(temporary);
    await out.write(new TextEncoder().encode(JSON.stringify(record)));
    await out.close();
    await this.fs.move(temporary, this.#path(key));
  }

  /** Forgets the record under `key`, if any. */
  async forget(key: string): Promise<void> {
    await this.fs.deleteFile(this.#path(key)).catch((error: unknown) => {
      if (!(error instanceof FileNotFoundError)) throw error;
    });
  }

  #path(key: string): string {
    return joinPath(this.dir, `${key}.json`);
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
    if (this.#failure !== undefined) throw this.#failure;
  }
}
