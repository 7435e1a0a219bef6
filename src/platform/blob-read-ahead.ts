/**
 * Reading a `Blob` by slices, with read-ahead while reads are sequential: the one algorithm
 * behind `BlobFile` and the asynchronous OPFS backend (whose `File` snapshots are Blobs).
 * @module
 */

/**
 * Slices of a Blob; a read that continues the previous one fetches at least `readAhead`
 * bytes. Every byte fetched is handed out at most once (what was read ahead is dropped as it
 * is served, and a read behind it fetches again), so callers own what they get.
 */
export class BlobReadAhead {
  /** Where the bytes read ahead start. */
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
   * Up to `length` bytes of `blob` at `position` (fewer only at the end, none past it),
   * without a copy, in memory nothing else sees: the caller may keep and change them. Served
   * at once (no promise) from what an earlier read fetched ahead.
   */
  slice(blob: Blob, position: number, length: number): Uint8Array | Promise<Uint8Array> {
    const cache = this.#cache;
    const size = blob.size;
    if (cache !== undefined && position >= this.#cacheStart && position < this.#cacheStart + cache.byteLength) {
      const from = position - this.#cacheStart;
      const count = Math.min(length, cache.byteLength - from);
      if (count === length || position + count >= size) return this.#serve(cache, from, count);
      // The read runs past what was fetched ahead: one fetch for all of it instead.
    }
    if (position >= size || length === 0) return new Uint8Array(0);
    return this.#fetch(blob, size, position, length);
  }

  /** `count` bytes of `cache` from `from`, dropping them and what precedes them from the cache. */
  #serve(cache: Uint8Array, from: number, count: number): Uint8Array {
    const end = from + count;
    this.#cache = end < cache.byteLength ? cache.subarray(end) : undefined;
    this.#cacheStart += end;
    this.#lastEnd = this.#cacheStart;
    return cache.subarray(from, end);
  }

  // Not `async`: one `then` costs Firefox ~2 µs less a read than an async method's await
  // (bench/browser.mjs's random reads: a 64 KiB read takes ~170 µs there).
  #fetch(blob: Blob, size: number, position: number, length: number): Promise<Uint8Array> {
    const sequential = position === this.#lastEnd;
    const end = Math.min(size, position + (sequential ? Math.max(length, this.readAhead) : length));
    this.#lastEnd = position + length;
    return blob
      .slice(position, end)
      .arrayBuffer()
      .then((buffer) => {
        const bytes = new Uint8Array(buffer);
        const count = Math.min(length, bytes.byteLength);
        // Only what was fetched beyond this read is kept; a read of exactly its size keeps nothing
        // and returns the array itself (a second view of its buffer costs Firefox 1-2 µs a read).
        this.#cache = count < bytes.byteLength ? bytes.subarray(count) : undefined;
        this.#cacheStart = position + count;
        return count < bytes.byteLength ? bytes.subarray(0, count) : bytes;
      });
  }
}
