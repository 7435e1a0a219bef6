import type { Buffer } from '../../memory/buffer.js';
import type { SharedBufferDescriptor } from '../../memory/shared-buffer-descriptor.js';
import type { WorkerConnection } from '../../opfs/connection.js';
import { sharedScratch as scratchOf, type DefaultPool } from '../../opfs/pool-loader.js';
import { andThen } from '../core/awaitable.js';
import type { Awaitable, UnderlyingFile } from '../core/underlying.js';

/** What a dropped remote file needs to release its handle in the worker. */
interface Handle {
  readonly connection: WorkerConnection;
  readonly file: number;
}

/**
 * Abandons, in the worker, the remote files dropped without `close()`, as `abort()` does: the
 * handle is released, and an atomic `'wb'` left half-written is discarded, its old file kept
 * (closing would commit the half over it). Other modes' writes are in the file already.
 */
const dropped = new FinalizationRegistry<Handle>(({ connection, file }) => connection.post('abort', { file }));

/** The remote OPFS backend, with the size it keeps for seeks from the end. */
export interface RemoteOpfsBackend extends UnderlyingFile {
  /** The file's size: exact, since the worker holds the only writable handle on it. */
  readonly knownSize: number;
  /** Closes the file in the worker when `owner` is garbage-collected without being closed. */
  watch(owner: object): void;
}

const isShared = (bytes: Uint8Array): boolean =>
  typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer;

const describeShared = (bytes: Uint8Array): SharedBufferDescriptor => ({
  buffer: bytes.buffer as SharedArrayBuffer,
  byteOffset: bytes.byteOffset,
  byteLength: bytes.byteLength,
  mutable: true,
});

/** A read sent ahead of the page asking for it, into pool memory. */
interface ReadAhead {
  readonly position: number;
  readonly scratch: Buffer;
  readonly count: Promise<number>;
  /** The count once the worker answered (0 if the read failed): reads then need no promise. */
  got?: number;
}

/** Lets `ahead` go: its memory is released once the worker is done filling it. */
function drop(ahead: ReadAhead | undefined): void {
  if (ahead !== undefined)
    void ahead.count.then(
      () => ahead.scratch.release(),
      () => ahead.scratch.release(),
    );
}

/** How much a sequential run reads ahead at once: several page reads per worker round trip. */
const AHEAD = 8 * 1024 * 1024;

/** How many batches of a sequential run are read ahead at most, the one being read included. */
const BATCHES = 2;

/** The smallest `readBuffer` handed out as a slice of a read-ahead batch rather than copied. */
const SLICE_FROM = 64 * 1024;

/** How often, at most, the worker reports an upload's progress, in milliseconds. */
const PROGRESS_EVERY = 50;

/**
 * The remote OPFS backend: the page's side of a file the IO worker holds. Reads land directly
 * in shared memory (pool buffers are, in a cross-origin isolated page), other memory gets one
 * copy through pool memory, and without shared memory transferred copies move both ways.
 */
export function remoteOpfs(
  connection: WorkerConnection,
  file: number,
  openSize: number,
  pool: DefaultPool | undefined,
): RemoteOpfsBackend {
  const sharedScratch = (length: number) => scratchOf(pool, length);
  let size = openSize;
  /** The write `takeAt` sent last, until `takeAt` or `settle` learn how it went. */
  let writing: Promise<void> | undefined;
  /** Where the last read ended, to tell sequential reads. */
  let lastEnd = -1;
  /**
   * The reads of a sequential run sent ahead, at most two: the batch the page reads from, and
   * the next one, sent when the page starts on this one, so the worker's I/O and the round trip
   * overlap the page's work. Dropped by anything that changes the file.
   */
  let batches: ReadAhead[] = [];
  const forgetAhead = () => {
    for (const batch of batches) drop(batch);
    batches = [];
  };
  /** Sends the read of `length` bytes at `position` ahead, where pool memory is shared. */
  const readAhead = (position: number, length: number) => {
    let scratch: Buffer | undefined;
    try {
      scratch = sharedScratch(length);
    } catch {
      return; // no pool memory for it: reads go on without read-ahead, in smaller pieces
    }
    if (scratch === undefined) return;
    const count = connection.call('readShared', { file, position, into: scratch.share() });
    const batch: ReadAhead = { position, scratch, count };
    // A failed read-ahead holds nothing: the read is retried as a plain read.
    count.then(
      (got) => (batch.got = got),
      () => (batch.got = 0),
    );
    batches.push(batch);
  };
  /** Reads at `position` now: straight into shared memory, else through pool memory or a copy. */
  const readNow = async (position: number, into: Uint8Array): Promise<number> => {
    if (isShared(into)) return connection.call('readShared', { file, position, into: describeShared(into) });
    const scratch = sharedScratch(into.byteLength);
    if (scratch === undefined) {
      const bytes = await connection.call('readCopy', { file, position, length: into.byteLength });
      into.set(bytes);
      return bytes.byteLength;
    }
    try {
      const count = await connection.call('readShared', { file, position, into: scratch.share() });
      into.set(scratch.view.subarray(0, count));
      return count;
    } finally {
      scratch.release();
    }
  };
  const writeNow = async (position: number, bytes: Uint8Array): Promise<void> => {
    if (isShared(bytes)) {
      await connection.call('writeShared', { file, position, from: describeShared(bytes) });
      return;
    }
    const scratch = sharedScratch(bytes.byteLength);
    try {
      if (scratch !== undefined) {
        scratch.view.set(bytes);
        await connection.call('writeShared', { file, position, from: scratch.share() });
      } else {
        const copy = bytes.slice();
        await connection.call('writeCopy', { file, position, bytes: copy }, [copy.buffer]);
      }
    } finally {
      scratch?.release();
    }
  };
  /**
   * `use` of the bytes at `position` of the batch the page reads from (up to `length`, or
   * exactly `length` when `exact`), once the worker filled it; `undefined` where it holds
   * none. At once (no promise) when the batch is filled already, as it mostly is for small
   * sequential reads. Starting on a batch sends the next one; a batch used up is let go
   * (slices of it keep it alive).
   */
  const takeAhead = <T>(
    position: number,
    length: number,
    exact: boolean,
    use: (batch: Buffer, start: number, end: number) => T,
  ): Awaitable<T | undefined> => {
    const current = batches[0];
    if (current === undefined || position < current.position || position >= current.position + current.scratch.size)
      return undefined;
    const take = (got: number): T | undefined => {
      const offset = position - current.position;
      if (batches[0] !== current || offset >= got || (exact && got - offset < length)) return undefined;
      const last = batches[batches.length - 1]!;
      const next = last.position + last.scratch.size;
      if (batches.length < BATCHES && got === current.scratch.size && next < size) readAhead(next, AHEAD);
      const count = Math.min(got - offset, length);
      lastEnd = position + count;
      const taken = use(current.scratch, offset, offset + count);
      if (offset + count === got) drop(batches.shift()); // used up
      return taken;
    };
    return current.got === undefined ? current.count.then(take, () => take(0)) : take(current.got);
  };
  /** A read the batches do not hold: read now, and start reading ahead if it was sequential. */
  const readPast = async (position: number, into: Uint8Array, sequential: boolean): Promise<number> => {
    forgetAhead();
    const count = await readNow(position, into);
    lastEnd = position + count;
    if (sequential && count === into.byteLength && lastEnd < size) readAhead(lastEnd, Math.max(AHEAD, into.byteLength));
    return count;
  };
  const backend: RemoteOpfsBackend = {
    get knownSize() {
      return size;
    },
    watch(owner) {
      dropped.register(owner, { connection, file }, backend);
    },
    readAt(position, into) {
      const sequential = position === lastEnd;
      // Copied straight out of the batch: no Buffer (and no promise, once it is filled) a read.
      const copied = takeAhead(position, into.byteLength, false, (batch, start, end) => {
        into.set(batch.view.subarray(start, end));
        return end - start;
      });
      return andThen(copied, (count) => count ?? readPast(position, into, sequential));
    },
    // readBuffer hands out the read-ahead's pool memory itself: no copy on the page, which is
    // what kept Firefox's page reads at 0.75x of a sync handle in a worker (bench/browser.mjs).
    // Small reads are copied: a slice keeps its whole batch alive for as long as it is kept.
    sliceAt: (position, length) =>
      length < SLICE_FROM
        ? undefined
        : takeAhead(position, length, true, (batch, start, end) => batch.sliceUnchecked(start, end)),
    async writeAt(position, bytes) {
      forgetAhead();
      await writeNow(position, bytes);
      size = Math.max(size, position + bytes.byteLength);
    },
    // A chunk the caller gives up moves to the worker as it is: no copy into pool memory. It
    // returns once the write before it is done, so the page reads the next chunk while the
    // worker writes this one (else each waits for the other); `settle` waits for the last.
    async takeAt(position, bytes) {
      forgetAhead();
      const end = position + bytes.byteLength; // sent, `bytes` is empty
      const before = writing;
      const args = { file, position, bytes, chained: before !== undefined };
      writing = connection.call('writeCopy', args, [bytes.buffer as ArrayBuffer]).then(() => {
        size = Math.max(size, end);
      });
      writing.catch(() => {}); // told by the next takeAt or settle
      await before; // if it failed, the worker refuses this one (`chained`)
    },
    async settle() {
      const last = writing;
      writing = undefined;
      await last;
    },
    // A Blob is cloned cheaply and the worker reads it itself. A ReadableStream is declined:
    // moved to a worker its chunks cross threads one message each, as copies (a sync handle in
    // a worker given the page's stream: 3.6-4.6x slower than reading it here in Firefox,
    // 1.07-1.15x in Chromium: bench/browser.mjs); read here into buffers of the upload's own, a
    // byte stream's pieces move whole (takeAt).
    uploadFrom(source, position, written, signal) {
      if (!(source instanceof Blob)) return undefined;
      forgetAhead();
      const report = (done: number) => {
        size = Math.max(size, position + done);
        written(done);
      };
      const args = { file, position, source, progressEvery: PROGRESS_EVERY };
      return connection.track('upload', args, [], report, signal).then(
        (count) => {
          size = Math.max(size, position + count);
          signal?.throwIfAborted(); // the worker finished first: still, the caller asked to stop
          return count;
        },
        (error: unknown) => {
          throw signal?.aborted ? signal.reason : error;
        },
      );
    },
    // No round trip: the worker's handle is the only writer, so this count is exact.
    size: () => size,
    async truncate(next) {
      forgetAhead();
      await connection.call('truncate', { file, size: next });
      size = next;
    },
    async flush() {
      await connection.call('flush', { file });
    },
    async close() {
      forgetAhead();
      dropped.unregister(backend);
      await connection.call('close', { file });
    },
    async abort() {
      forgetAhead();
      dropped.unregister(backend);
      await connection.call('abort', { file });
    },
  };
  return backend;
}
