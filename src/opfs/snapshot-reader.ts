/**
 * Reads of an OPFS file through the asynchronous API: `getFile()` gives a `File` (a snapshot
 * of the committed bytes), and each read slices it. As `BlobFile` does, a read that continues
 * the previous one fetches at least `readAhead` bytes and serves the reads that follow from
 * them, so small sequential reads do not cost one slice each.
 * @module
 */

import { BlobReadAhead } from '../platform/blob-read-ahead.js';

/** Bytes fetched at once by sequential reads (as `BlobFile`'s default). */
export const DEFAULT_READ_AHEAD = 256 * 1024;

/** Reads of one OPFS file handle, from a snapshot taken afresh after each commit. */
export class SnapshotReader {
  #file: File | undefined;
  readonly #slices: BlobReadAhead;

  constructor(
    private readonly handle: FileSystemFileHandle,
    readAhead = DEFAULT_READ_AHEAD,
  ) {
    this.#slices = new BlobReadAhead(readAhead);
  }

  /** Forgets the snapshot and what was read ahead: the file was committed since. */
  invalidate(): void {
    this.#file = undefined;
    this.#slices.forget();
  }

  /** The committed size of the file. */
  async size(): Promise<number> {
    return (await this.#snapshot()).size;
  }

  /** Reads up to `into.byteLength` bytes at `position` into `into`; 0 at or past the end. */
  async read(position: number, into: Uint8Array): Promise<number> {
    const bytes = await this.slice(position, into.byteLength);
    into.set(bytes);
    return bytes.byteLength;
  }

  /**
   * Up to `length` bytes at `position`, without a copy: a view of what was fetched (never
   * written to afterwards, so callers may keep it). Empty at or past the end.
   */
  async slice(position: number, length: number): Promise<Uint8Array> {
    return this.#slices.slice(await this.#snapshot(), position, length);
  }

  async #snapshot(): Promise<File> {
    this.#file ??= await this.handle.getFile();
    return this.#file;
  }
}
