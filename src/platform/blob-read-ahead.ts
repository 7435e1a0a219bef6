/**
 * Reading a `Blob` by slices, with read-ahead while reads are sequential: the one algorithm
 * behind `BlobFile` and the asynchronous OPFS backend (whose `File` snapshots are Blobs).
 * @module
 */

/** Slices of a Blob; a read that continues the previous one fetches at least `readAhead` bytes. */
export class BlobReadAhead {
  #cacheStart = 0;
  #cache: Uint8Array | undefined;
  /** Where the last read ended: a read starting there is sequential. */
  #lastEnd = 0;

  /** @param readAhead bytes fetched at once by sequential reads (random reads fetch just what they ask). */
  constructor(readonly readAhead: number) {}

  /** Drops what was read ahead (the bytes behind it changed). */
  forget(): void {
    this.#cache = undefined;
  }

  /**
   * Up to `length` bytes of `blob` at `position`, without a copy: a view of fetched bytes that
   * nothing writes to afterwards, so callers may keep it. Empty at or past the end. Served at
   * once (no promise) from what an earlier read fetched ahead.
   */
  slice(blob: Blob, position: number, length: number): Uint8Array | Promise<Uint8Array> {
    const cache = this.#cache;
    if (cache !== undefined && position >= this.#cacheStart && position < this.#cacheStart + cache.byteLength) {
      const from = position - this.#cacheStart;
      const count = Math.min(length, cache.byteLength - from);
      this.#lastEnd = position + count;
      return cache.subarray(from, from + count);
    }
    if (position >= blob.size || length === 0) return new Uint8Array(0);
    return this.#fetch(blob, position, length);
  }

  async #fetch(blob: Blob, position: number, length: number): Promise<Uint8Array> {
    const sequential = position === this.#lastEnd;
    const end = Math.min(blob.size, position + (sequential ? Math.max(length, this.readAhead) : length));
    this.#lastEnd = position + length;
    const bytes = new Uint8Array(await blob.slice(position, end).arrayBuffer());
    const count = Math.min(length, bytes.byteLength);
    // Only what was fetched beyond this read is kept; a read of exactly its size keeps nothing.
    this.#cache = count < bytes.byteLength ? bytes : undefined;
    this.#cacheStart = position;
    return bytes.subarray(0, count);
  }
}
