import { close as closeFd, closeSync, fstat, fstatSync, open, openSync, read, readSync, write, writeSync } from 'node:fs';
import { IOError } from '../../errors.js';
import { describe } from '../../util/validate.js';
import { parseFileMode, type FileMode, type FileModeInput } from '../../util/file-mode.js';
import type { SyncOutputStream, SyncRandomAccessFile, SyncInputStream } from '../core/interfaces.js';
import { PooledFile } from '../core/file-class.js';
import type { UnderlyingFile } from '../core/underlying.js';
import { fsError } from '../fs-error.js';

/** Closes descriptors of files that were dropped without `close()`. */
const dropped = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed by the process; nothing left to release.
  }
});

const FLAGS: Record<FileMode, string> = { rb: 'r', wb: 'w', ab: 'a', 'rb+': 'r+' };

/** A callback-style fs call as a promise: the work runs on libuv's thread pool. */
function onThreadPool<T>(
  path: string,
  start: (done: (error: NodeJS.ErrnoException | null, value: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => start((error, value) => (error ? reject(fsError(error, path)) : resolve(value))));
}

/** Wraps a synchronous fs call so its error becomes one of nativefile's. */
function guarded<T>(path: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw fsError(error, path);
  }
}

/**
 * The descriptor's two faces: synchronous calls for the `*Sync` methods, and the thread pool
 * for the async ones, so they never block the event loop. Both read straight into the
 * destination memory. `position` is `null` for streams (FIFOs, append mode).
 */
function descriptorFaces(fd: number, path: string, positional: boolean): { sync: UnderlyingFile; async: UnderlyingFile } {
  const sync: UnderlyingFile = {
    // Without a closure per call, as guarded() makes: the read loop's hottest call.
    readAt(position, into) {
      try {
        return readSync(fd, into, 0, into.byteLength, position);
      } catch (error) {
        throw fsError(error, path);
      }
    },
    read: (into) => guarded(path, () => readSync(fd, into, 0, into.byteLength, null)),
    writeAt(position, bytes) {
      for (let done = 0; done < bytes.byteLength;) {
        done += guarded(path, () => writeSync(fd, bytes, done, bytes.byteLength - done, positional ? position + done : null));
      }
    },
    size: () => guarded(path, () => fstatSync(fd).size),
    flush: () => undefined,
    close() {
      dropped.unregister(sync);
      guarded(path, () => closeSync(fd));
    },
  };
  const async: UnderlyingFile = {
    readAt: (position, into) => onThreadPool<number>(path, (done) => read(fd, into, 0, into.byteLength, position, done)),
    read: (into) => onThreadPool<number>(path, (done) => read(fd, into, 0, into.byteLength, null, done)),
    async writeAt(position, bytes) {
      for (let done = 0; done < bytes.byteLength;) {
        const at = positional ? position + done : null;
        done += await onThreadPool<number>(path, (cb) => write(fd, bytes, done, bytes.byteLength - done, at, cb));
      }
    },
    size: () => onThreadPool(path, (done) => fstat(fd, (error, stats) => done(error, stats?.size ?? 0))),
    flush: () => undefined,
    async close() {
      dropped.unregister(sync);
      await onThreadPool<undefined>(path, (done) => closeFd(fd, (error) => done(error ?? null, undefined)));
    },
  };
  return { sync, async };
}

/** A file opened for reading: random access for regular files, a stream for FIFOs and devices. */
export type OSInputFile = (SyncRandomAccessFile | SyncInputStream) & OSFileMembers;
/** A file opened for writing (`'wb'` truncates, `'ab'` appends). */
export type OSOutputFile = SyncOutputStream & OSFileMembers;

/** What an OS file adds to its capabilities. */
export interface OSFileMembers {
  /** The path the file was opened with. */
  readonly path: string;
  /** The file descriptor (for the Node APIs that take one). */
  readonly fd: number;
}

/** `new OSFile(path, mode)`: its type follows the mode. */
export interface OSFileConstructor {
  new (path: string | URL, mode?: 'rb' | 'r'): SyncRandomAccessFile & OSFileMembers;
  new (path: string | URL, mode: 'wb' | 'w' | 'ab' | 'a'): OSOutputFile;
  new (path: string | URL, mode?: FileModeInput): OSInputFile | OSOutputFile;
  /** Opens without blocking the event loop (a FIFO waits for its writer on the thread pool). */
  open(path: string | URL, mode?: 'rb' | 'r'): Promise<SyncRandomAccessFile & OSFileMembers>;
  /** Opens for writing without blocking the event loop (`'wb'` truncates, `'ab'` appends). */
  open(path: string | URL, mode: 'wb' | 'w' | 'ab' | 'a'): Promise<OSOutputFile>;
  /** What `instanceof OSFile` tests. */
  readonly prototype: OSInputFile | OSOutputFile;
}

/** An OS file of either direction. */
export type OSFile = OSInputFile | OSOutputFile;

function checkPath(path: unknown): string {
  if (typeof path !== 'string' && !(path instanceof URL))
    throw new TypeError(`path must be a string or URL, got ${describe(path)}`);
  const text = String(path);
  if (text.includes('\0')) throw new TypeError(`path must not contain NUL bytes, got ${describe(text)}`);
  return text;
}

/**
 * A file on disk through a file descriptor (Arrow's `OSFile`). Modes as in PyArrow: `'r'`
 * reads (random access for regular files), `'w'` truncates or creates, `'a'` appends; new
 * files get the permissions 0o666 less the umask. The `*Sync` methods call the OS directly
 * (the fastest route from the page cache); the async methods run on libuv's thread pool and
 * never block the event loop. Reads go straight into the destination memory. A file whose
 * reported size is 0 (`/proc` files) is read to its end; FIFOs and devices are streams.
 */
export const OSFile = class OSFile extends PooledFile {
  readonly path: string;
  readonly #fd: number;

  constructor(path: string | URL, mode: FileModeInput = 'rb', openedFd?: number) {
    const text = checkPath(path);
    const canonical = parseFileMode(mode, ['rb', 'wb', 'ab']);
    const fd = openedFd ?? guarded(text, () => openSync(path, FLAGS[canonical], 0o666));
    let regular: boolean;
    let size: number;
    try {
      const stats = fstatSync(fd);
      // Opening a directory for reading succeeds; as in Arrow, it is refused here, not at the first read.
      if (stats.isDirectory())
        throw new IOError(`cannot open ${JSON.stringify(text)} as a file: it is a directory`, { code: 'EISDIR' });
      regular = stats.isFile();
      size = stats.size;
    } catch (error) {
      closeSync(fd);
      throw error instanceof IOError ? error : fsError(error, text);
    }
    const faces = descriptorFaces(fd, text, canonical !== 'ab' && regular);
    super(faces.sync, {
      kind: 'OSFile',
      mode: canonical,
      sync: true,
      async: faces.async,
      seekable: canonical === 'rb' && regular,
      position: canonical === 'ab' ? size : 0,
    });
    // The backend lives exactly as long as this file (the core holds it): closed with it if dropped.
    dropped.register(faces.sync, fd, faces.sync);
    this.path = text;
    this.#fd = fd;
  }

  get fd(): number {
    this.tell(); // throws once closed
    return this.#fd;
  }

  static async open(path: string | URL, mode: FileModeInput = 'rb'): Promise<OSFile> {
    const text = checkPath(path);
    const canonical = parseFileMode(mode, ['rb', 'wb', 'ab']);
    const fd = await onThreadPool<number>(text, (done) => open(path, FLAGS[canonical], 0o666, done));
    return new OSFile(text, canonical, fd);
  }
} as unknown as OSFileConstructor;
