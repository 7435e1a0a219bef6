import type { AsyncAccess } from '../../opfs/async-access.js';
import type { UnderlyingFile } from '../core/underlying.js';

/**
 * Releases the files of the async backend dropped without `close()` (their locks too): an
 * atomic `'wb'` left half-written is discarded, its old file kept; others are closed.
 */
const dropped = new FinalizationRegistry<AsyncAccess>((access) => void access.drop().catch(() => {}));

/** The async OPFS backend, with the size it keeps for seeks from the end. */
export interface AsyncOpfsBackend extends UnderlyingFile {
  /** The file's size, counting uncommitted writes: exact, since this is the only writer. */
  readonly knownSize: number;
  /** Closes the file when `owner` is garbage-collected without being closed. */
  watch(owner: object): void;
}

/**
 * The async OPFS backend: `getFile()` slices to read, a writable stream to write, in this very
 * context (no IO worker, no sync access handle). Asynchronous.
 */
export function asyncOpfs(access: AsyncAccess): AsyncOpfsBackend {
  const backend: AsyncOpfsBackend = {
    get knownSize() {
      return access.size();
    },
    watch(owner) {
      dropped.register(owner, access, backend);
    },
    readAt: (position, into) => access.read(position, into),
    // read, readAt and readBuffer return the bytes fetched from the File, without copying them.
    readFresh: (position, length) => access.slice(position, length),
    writeAt: (position, bytes) => access.write(position, bytes),
    size: () => access.size(),
    truncate: (size) => access.truncate(size),
    flush: () => access.flush(),
    close() {
      dropped.unregister(backend);
      return access.close();
    },
    abort() {
      dropped.unregister(backend);
      return access.abort();
    },
  };
  return backend;
}
