/**
 * The sync access handle of an atomic `'wb'`'s temporary sibling, which sizes the file for
 * what it is expected to hold before writing into it.
 *
 * A new sibling grows from nothing, where the old file rewritten in place keeps the room it
 * had after `truncate(0)`. Chromium grants an OPFS file its storage quota as it grows
 * (capacity requests double from 1 MiB to 128 MiB, then go 128 MiB at a time), and where it
 * keeps OPFS files in memory (off the record, as in Playwright's default context, which
 * bench/browser.mjs runs in) the browser process also allocates and zeroes the file's memory
 * as it grows, about 0.5 ms a MiB, and reallocates it as its capacity doubles when the file is
 * appended to. Extending the sibling once, once it is written past 1 MiB, to the size it will
 * have (the Blob being uploaded, or else the file it replaces) and cutting it to what was
 * written when it is flushed or closed pays that once. bench/replace-probe.mjs times the raw
 * routes on sync access handles (Chromium 156, two runs): in memory, a sibling extended so and
 * moved over the file runs at 0.89–0.91x of rewriting the file in place (0.91–0.92x extended at
 * open), against 0.72–0.74x appending: the extension (67 ms for 128 MiB) and the move (8–9 ms,
 * which frees the old file's memory) cost more than the writes gain (about 50 ms, into memory
 * already zeroed). On disk every route is within noise of in place (0.97–1.06x): extending
 * takes under 1 ms, and the move's 26 ms stand for the 25 ms in place spends in `truncate(0)`.
 *
 * In bench/browser.mjs, row "write a 128 MiB Blob over a 128 MiB OPFS file" (Chromium 156, OPFS
 * in memory), `upload(blob.stream())` into an atomic `'wb'` went from 0.74x to 0.90–0.99x (the
 * median of each round's ratio: 0.91–0.92x in four runs) of a sync access handle in a worker
 * rewriting the file in place, and from 0.92x to 1.17–1.33x of piping into `createWritable()`.
 * That is the raw route's own ratio (above): the atomic path adds about 1 ms to the open and
 * nothing measurable to the writes, the extension or the move (timed step by step in the IO
 * worker). The upload keeping one write ahead since (src/io/core/copy.ts) runs at 0.99–1.16x.
 * With OPFS on
 * disk (`NATIVEFILE_BENCH_PROFILE=disk`), `upload(blob)` into an atomic `'wb'` runs at
 * 0.97–1.00x of the same in place. Firefox writes at the same speed either way, and as fast as
 * when rewriting in place.
 *
 * Bytes past what was written are zeros (the extension's), so reads and the size end where
 * the writes do. The extension is only ahead of need: when the quota cannot hold it, the
 * file is written without one, so a write fails only where it would have anyway. A crash
 * leaves the sibling at its extended size, which the next open removes with any partial
 * sibling: the old file is untouched either way.
 * @module
 */
import { isQuotaFailure } from './quota.js';

/** The worker-only part of the OPFS API that `SyncAccess` uses (TypeScript's DOM library lacks it). */
export interface SyncHandle {
  read(buffer: ArrayBufferView, options?: { at?: number }): number;
  write(buffer: ArrayBufferView, options?: { at?: number }): number;
  getSize(): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

/**
 * How far the file is extended at once beyond what was written: a file expected bigger is
 * extended in steps of this, so replacing a big file by a small one grants little in vain
 * (growing costs about 0.5 ms a MiB where Chromium keeps OPFS files in memory).
 */
export const RESERVE_STEP = 256 * 1024 * 1024;

/**
 * Where extending ahead starts: a file written no further is left to grow by itself. Its own
 * grants up to there are one (Chromium's first is 1 MiB), while extending it for a big old
 * file and cutting it back costs about 90 ms for 128 MiB in memory (bench/browser.mjs, row
 * "write 64 KiB over a 128 MiB OPFS file").
 */
export const RESERVE_FROM = 1024 * 1024;

/** A sync access handle on a new file that extends the file ahead of its writes. */
export class ReservingHandle implements SyncHandle {
  /** The size the writes and truncates made: what the file holds for its user. */
  #size: number;
  /** The file's length on disk (at least `#size`; zeros past it). */
  #extended: number;
  /** The size the file is expected to reach: where extensions stop. */
  #expected: number;

  /**
   * @param handle The sync access handle of the new file.
   * @param expected The size the file is expected to reach.
   * @param from Where extending ahead starts ({@link RESERVE_FROM}).
   */
  constructor(
    private readonly handle: SyncHandle,
    expected: number,
    private readonly from = RESERVE_FROM,
  ) {
    this.#size = this.#extended = handle.getSize();
    this.#expected = expected;
  }

  /** Sets the size the file is expected to reach (an upload of a Blob knows it). */
  expect(size: number): void {
    this.#expected = size;
  }

  read(buffer: ArrayBufferView, options: { at?: number } = {}): number {
    const at = options.at ?? 0;
    const length = Math.max(0, Math.min(buffer.byteLength, this.#size - at));
    if (length === 0) return 0;
    return this.handle.read(new Uint8Array(buffer.buffer, buffer.byteOffset, length), { at });
  }

  write(buffer: ArrayBufferView, options: { at?: number } = {}): number {
    const at = options.at ?? 0;
    this.#extendFor(at + buffer.byteLength);
    let count = 0;
    try {
      count = this.handle.write(buffer, { at });
    } finally {
      if (count > 0 && count <= buffer.byteLength) this.#size = Math.max(this.#size, at + count);
      // A full quota (thrown, or a count out of range: quota.ts) may have left part of the
      // write on disk: its length is read again, so that a flush or close cuts that off.
      else this.#extended = Math.max(this.#extended, this.handle.getSize());
      this.#extended = Math.max(this.#extended, this.#size);
    }
    return count;
  }

  getSize(): number {
    return this.#size;
  }

  /**
   * Cuts or extends the file on disk too, so that bytes past `size` are zeros if it grows
   * again; the size is read back, since an engine may refuse to grow without an error (quota.ts).
   */
  truncate(size: number): void {
    this.handle.truncate(size);
    this.#size = this.#extended = this.handle.getSize();
  }

  /** Cuts the file to what was written, then flushes it. */
  flush(): void {
    this.#trim();
    this.handle.flush();
  }

  close(): void {
    try {
      this.#trim();
    } finally {
      this.handle.close();
    }
  }

  /** Extends the file for a write ending at `end`: to the expected size, a step at most past `end`. */
  #extendFor(end: number): void {
    if (end <= this.#extended || end <= this.from) return;
    const target = Math.min(this.#expected, Math.max(end, this.#extended) + RESERVE_STEP);
    // Past the expected size, the write extends the file itself.
    if (target <= end) return;
    try {
      this.handle.truncate(target);
    } catch (cause) {
      if (!isQuotaFailure(cause)) throw cause;
    }
    // Chromium's storage in memory refuses to grow without an error: the length says.
    const now = this.handle.getSize();
    if (now >= target) this.#extended = now;
    // The quota cannot hold the expected size: write without extending ahead (the write
    // itself fails if the quota cannot hold it either).
    else this.#expected = 0;
  }

  #trim(): void {
    if (this.#extended === this.#size) return;
    this.handle.truncate(this.#size);
    this.#extended = this.#size;
  }
}
