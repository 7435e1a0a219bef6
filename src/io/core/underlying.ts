/**
 * The backend contract: what a file backend ("underlying file") implements. It is a plain
 * object with a few methods, each returning a value or a promise (as a WHATWG underlying
 * source is driven by one stream class, or hyparquet's `AsyncBuffer` returns `Awaitable`).
 * {@link NativeFile} drives it and owns everything else: position, mode, closed state,
 * argument validation, capability checks and the order of operations.
 *
 * Most operations are what a capability needs. Three are hooks for speed, each kept for the
 * row of `npm run bench` that needs it and documented with it: `readFresh`, `takeAt` and
 * `uploadFrom`. The figures are ratios measured interleaved in one run (Chromium 156,
 * Firefox 153 ESR, Node 20 on a shared 2-core machine), against the peer the row names.
 * @module
 */
import type { Buffer } from '../../memory/buffer.js';

/** A value, or a promise of it. */
export type Awaitable<T> = T | PromiseLike<T>;

/** A byte range of a file, as `readRanges` and `willNeed` take them. */
export interface ByteRange {
  /** Where the range starts. */
  readonly offset: number;
  /** How many bytes it spans. */
  readonly length: number;
}

/**
 * The operations of a backend. A backend implements the ones its capabilities need; the
 * core never calls one it does not have. Arguments reach it validated: positions and sizes
 * are safe non-negative integers, views are non-empty, and the file is open.
 *
 * A backend whose every method returns plain values is synchronous (and its file gets the
 * `*Sync` methods); one returning promises is asynchronous.
 */
export interface UnderlyingFile {
  /**
   * The bytes are memory that others may change (a memory map, shared with every map of the
   * file), read at once: the core keeps nothing a line read ahead, which would save no I/O
   * and could go stale.
   */
  readonly sharedMemory?: boolean;
  /** Reads up to `into.byteLength` bytes from where the stream is; 0 only at its end. */
  read?(into: Uint8Array): Awaitable<number>;
  /** Reads up to `into.byteLength` bytes at `position`; 0 at or past the end. */
  readAt?(position: number, into: Uint8Array): Awaitable<number>;
  /**
   * `length` bytes at `position` (already clamped to the size) without a copy, for backends
   * that hold the bytes in memory (buffers, memory maps, a remote file's read-ahead). Where
   * it is missing or gives `undefined` (the read-ahead holds some ranges only), `readBuffer`
   * reads into memory from {@link FileTraits.allocate}, or wraps the bytes read.
   */
  sliceAt?(position: number, length: number): Awaitable<Buffer | undefined>;
  /**
   * Up to `length` bytes at `position` in memory the caller keeps (the backend never hands
   * them out again nor writes to them): fewer only at the end, none at or past it. For
   * backends whose reads make new memory anyway (a Blob's `arrayBuffer()`), so that `read`,
   * `readAt` and `readBuffer` return those bytes instead of copying them once more.
   *
   * Hook for speed, of BlobFile and the async OPFS backend (a File snapshot's reads). Row
   * "random 64 KiB reads from a 32 MiB Blob" (bench/browser.mjs): `BlobFile.readAt` runs at
   * 0.99-1.00x of `blob.slice().arrayBuffer()` in Chromium and 0.97x in Firefox, where the
   * same read copied once more into other memory (`blobSliceThenCopy`, what it costs without
   * this hook) runs at 0.88-0.92x and 0.65-0.71x (two runs).
   */
  readFresh?(position: number, length: number): Awaitable<Uint8Array>;
  /** Appends all of `bytes` (streams, append mode). */
  write?(bytes: Uint8Array): Awaitable<void>;
  /**
   * Throws if `length` bytes at `position` cannot be written: a file that writes cannot grow.
   * The core asks before a write's first piece, so a write that does not fit leaves nothing
   * (as Arrow checks the whole range first).
   */
  fits?(position: number, length: number): void;
  /** Writes all of `bytes` at `position` (random-access writers). */
  writeAt?(position: number, bytes: Uint8Array): Awaitable<void>;
  /**
   * Writes all of `bytes` at `position`, taking their memory: `bytes` views the start of an
   * `ArrayBuffer` the caller gives up, which may be detached (the IO worker's backend transfers
   * it instead of copying; only `bytes.byteLength` bytes are written, the buffer may be
   * larger). For `upload` of a byte stream, read into buffers of the upload's own.
   *
   * Hook for speed, of the IO worker's backend (OpfsFile on a page). Row "write a 128 MiB Blob
   * over a 128 MiB OPFS file from the page" (bench/browser.mjs; measured when the row wrote a
   * new file instead of replacing one): `upload(blob.stream())` runs at 0.97x of a
   * sync access handle in a worker writing the Blob (`rawSyncWorkerWrite`) in Chromium and in
   * Firefox; with each chunk copied into pool memory instead, 0.97x and 0.84x.
   *
   * It may settle before the write is done, once the one before it is: the caller reads its
   * next chunk meanwhile. A failure then rejects the next `takeAt` or `settle`, and the write
   * sent after a failed one is not made. The caller calls `settle` when it has taken its last
   * chunk (also when it stops early), before any other operation. Same row, replacing a
   * 128 MiB file in Chromium: one write ahead against none, paired 1.19x with OPFS in memory,
   * 0.99x and 1.11x on disk.
   */
  takeAt?(position: number, bytes: Uint8Array): Awaitable<void>;
  /**
   * Waits for the write `takeAt` left in flight; rejects with its failure. Where `takeAt`
   * settles once its write is done, it may be missing.
   */
  settle?(): Awaitable<void>;
  /** The size in bytes: of the file, or of what was written to an output stream. */
  size?(): Awaitable<number>;
  /** Pushes buffered writes down. */
  flush?(): Awaitable<void>;
  /**
   * Makes reads waiting on a source that may never answer settle (a stream's reader: cancels
   * it), with `ClosedFileError`, or stop retrying (a remote file: the attempt under way may
   * still succeed); `close` and `abort` call it before they wait for pending operations.
   * Writes are never interrupted: a close still lands what was written before it.
   */
  interrupt?(): void;
  /** Releases the backend's resources; called once, after every operation has settled. */
  close?(): Awaitable<void>;
  /** Discards what was written where the store can (S3: aborts the upload), then releases. */
  abort?(reason: unknown): Awaitable<void>;
  /** Several ranges at once, coalesced (remote backends); results in the order asked. */
  readRanges?(ranges: readonly ByteRange[]): Awaitable<Uint8Array[]>;
  /** A hint that these ranges will be read soon. */
  willNeed?(ranges: readonly ByteRange[]): void;
  /** Cuts or extends the file to `size` bytes. */
  truncate?(size: number): Awaitable<void>;
  /**
   * Writes everything `source` holds at `position` by a route of the backend's own (the IO
   * worker reads the source itself, so the caller's thread touches no chunk), for `upload`.
   * Returns `undefined`, having touched nothing, to decline: the core then copies chunk by
   * chunk through `write`. Otherwise it resolves to the bytes written; `written` is told the
   * running total of bytes in the file so far (monotonic, at least once before settling, also
   * when it fails), and when `signal` aborts, it stops and rejects with the signal's reason.
   *
   * Hook for speed and memory, of S3 and Azure uploads (`src/remote/part-upload.ts`): given a
   * Blob, each whole part goes out as a slice of it, which `fetch` streams from where the Blob
   * keeps its bytes, instead of being read into memory and copied into the part buffer. Row
   * "upload 1 GiB from a file to Ceph S3" (bench/s3-upload.bench.ts, Node): `upload(file)`
   * 176 MB/s with a peak RSS growth of 103 MiB, against 131 MB/s and 129 MiB for
   * `upload(file.stream())`, the route without this hook (the AWS SDK's `Upload`: 142 MB/s,
   * 89 MiB; one run of two rounds). The IO worker's backend takes a Blob too, so the page's
   * thread touches no chunk: in the OPFS row of `takeAt`, `upload(blob)` runs at 1.03x and
   * 1.00x of `upload(blob.stream())` (Chromium, Firefox), and at 1.10x in Firefox when that
   * stream's chunks are copied instead of taken.
   */
  uploadFrom?(
    source: Blob | ReadableStream<unknown>,
    position: number,
    written: (total: number) => void,
    signal: AbortSignal | undefined,
  ): Awaitable<number> | undefined;
}
