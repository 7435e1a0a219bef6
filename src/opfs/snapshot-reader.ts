/**
 * Reads of an OPFS file through the asynchronous API: `getFile()` gives a `File` (a snapshot
 * of the committed bytes), and each read slices it. As `BlobFile` does, a read that continues
 * the previous one fetches at least `readAhead` bytes and serves the reads that follow from
 * them, so small sequential reads do not cost one slice each.
 * @module
 */

/** Bytes fetched at once by sequential reads (as `BlobFile`'s default). */
export const DEFAULT_READ_AHEAD = 256 * 1024;

/** Reads of one OPFS file handle, from a snapshot taken afresh after each commit. */
export class SnapshotReader {
  #file: File | undefined;
  #cacheStart = 0;
  #cache: Uint8Array | undefined;
  /** Where the last read ended: a read starting there is sequential. */
  #lastEnd = 0;

  constructor(
    private readonly handle: FileSystemFileHandle,
    private readonly readAhead = DEFAULT_READ_AHEAD,
  ) {}

  /** Forgets the snapshot and what was read ahead: the file was committed since. */
  invalidate(): void {
    this.#file = undefined;
    this.#cache = undefined;
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
    const cache = this.#cache;
    if (cache !== undefined && position >= this.#cacheStart && position < this.#cacheStart + cache.byteLength) {
      const from = position - this.#cacheStart;
      const count = Math.min(length, cache.byteLength - from);
      this.#lastEnd = position + count;
      return cache.subarray(from, from + count);
    }
    const file = await this.#snapshot();
    if (position >= file.size) return new Uint8Array(0);
    const sequential = position === this.#lastEnd;
    const end = Math.min(file.size, position + (sequential ? Math.max(length, this.readAhead) : length));
    this.#lastEnd = position + length;
    const bytes = new Uint8Array(await file.slice(position, end).arrayBuffer());
    const count = Math.min(length, bytes.byteLength);
    // Only what was fetched beyond this read is kept; a read of exactly its size keeps nothing.
    this.#cache = count < bytes.byteLength ? bytes : undefined;
    this.#cacheStart = position;
    return bytes.subarray(0, count);
  }

  async #snapshot(): Promise<File> {
    this.#file ??= await this.handle.getFile();
    return this.#file;
  }
}
