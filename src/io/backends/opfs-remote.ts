import type { Buffer, SharedBufferDescriptor } from '../../memory/buffer.js';
import { defaultMemoryPool } from '../../memory/default-pool.js';
import type { WorkerConnection } from '../../opfs/connection.js';
import type { UnderlyingFile } from '../core/underlying.js';

/** What a dropped remote file needs to release its handle in the worker. */
interface Handle {
  readonly connection: WorkerConnection;
  readonly file: number;
}

/** Closes, in the worker, the handles of remote files that were dropped without `close()`. */
const dropped = new FinalizationRegistry<Handle>(({ connection, file }) => connection.post('close', { file }));

/** The remote OPFS backend, with the size it keeps for seeks from the end. */
export interface RemoteOpfsBackend extends UnderlyingFile {
  /** The file's size: exact, since the worker holds the only writable handle on it. */
  readonly knownSize: number;
  /** Closes the file in the worker when `owner` is garbage-collected without being closed. */
  watch(owner: object): void;
}

const isShared = (bytes: Uint8Array): boolean =>
  typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer;

const describeShared = (bytes: Uint8Array): SharedBufferDescriptor =>
  ({ buffer: bytes.buffer as SharedArrayBuffer, byteOffset: bytes.byteOffset, byteLength: bytes.byteLength, mutable: true });

/** `size` bytes of the default pool when its memory is shared (the worker can reach it), else none. */
function sharedScratch(size: number): Buffer | undefined {
  const pool = defaultMemoryPool();
  return 'handle' in pool ? pool.allocate(size) : undefined;
}

/** How often, at most, the worker reports an upload's progress, in milliseconds. */
const PROGRESS_EVERY = 50;

/**
 * The remote OPFS backend: the page's side of a file the IO worker holds. Reads land directly
 * in shared memory (pool buffers are, in a cross-origin isolated page), other memory gets one
 * copy through pool memory, and without shared memory transferred copies move both ways.
 */
export function remoteOpfs(connection: WorkerConnection, file: number, openSize: number): RemoteOpfsBackend {
  let size = openSize;
  const backend: RemoteOpfsBackend = {
    get knownSize() {
      return size;
    },
    watch(owner) {
      dropped.register(owner, { connection, file }, backend);
    },
    async readAt(position, into) {
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
    },
    async writeAt(position, bytes) {
      if (isShared(bytes)) {
        await connection.call('writeShared', { file, position, from: describeShared(bytes) });
      } else {
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
      }
      size = Math.max(size, position + bytes.byteLength);
    },
    // A Blob is cloned cheaply and the worker reads it itself. A ReadableStream is declined:
    // moved to a worker it pays a message round trip per chunk, and measured slower than the
    // page's own copy (Firefox 107 against 438 MB/s, Chromium 73 against 82: bench/browser.mjs).
    uploadFrom(source, position, written, signal) {
      if (!(source instanceof Blob)) return undefined;
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
      await connection.call('truncate', { file, size: next });
      size = next;
    },
    async flush() {
      await connection.call('flush', { file });
    },
    async close() {
      dropped.unregister(backend);
      await connection.call('close', { file });
    },
    async abort() {
      dropped.unregister(backend);
      await connection.call('abort', { file });
    },
  };
  return backend;
}
