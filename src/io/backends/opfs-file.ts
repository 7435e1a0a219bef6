import { UnsupportedOperationError } from '../../errors.js';
import { splitOpfsPath } from '../../opfs/paths.js';
import { parseFileMode, type FileModeInput } from '../../util/file-mode.js';
import { checkSize, describe } from '../../util/validate.js';
import { copies } from '../core/copy.js';
import { unpooledFileClass } from '../core/unpooled-file-class.js';
import type {
  Async,
  FileInterface,
  OutputStream,
  RandomAccessFile,
  ReadWriteFile,
  SyncOutputStream,
  SyncRandomAccessFile,
  SyncReadWriteFile,
  SyncWritableFile,
  WritableFile,
} from '../core/interfaces.js';
import type { WorkerInstance } from '../../platform/globals.js';
import { NativeFile } from '../core/native-file.js';
import type { FileTraits } from '../core/file-traits.js';
import type { UnderlyingFile } from '../core/underlying.js';
import { openOpfsBackend, type OpfsBackendChoice, type OpfsBackendName } from './opfs-open.js';

export type { OpfsBackendChoice, OpfsBackendName } from './opfs-open.js';

/** Options of {@link OpfsFile.open}. */
export interface OpfsOpenOptions {
  /**
   * The IO worker to go through on a page (one started from `nativefile/worker`); by default
   * the package's own, started on first use. Inside a worker, passing one also goes through it.
   */
  worker?: WorkerInstance;
  /**
   * For `'wb'`: write a temporary sibling and move it over the file on close, so readers see
   * the old file or the new one, never a torn one (a new path appears on close; an abort
   * leaves no file, though the directories made on the way stay). Default `true`; `'rb+'`
   * and `'ab'` always write in place.
   */
  atomic?: boolean;
  /** Wait for another tab or worker holding the file to close it, instead of failing with `EBUSY`. */
  wait?: boolean;
  /**
   * Stops the open's waits: for the IO worker to start, and for another holder of the file
   * (`wait: true`). The open then rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /**
   * How long the IO worker may take to start, fetching its script included, in milliseconds
   * (default 30000): then `EWORKER`. A script that fails to load is `EWORKER` at once.
   */
  startTimeout?: number;
  /**
   * Which backend serves the file. `'auto'` (the default): a sync access handle in a dedicated
   * worker, the IO worker on a page, and the asynchronous API (`getFile()`, `createWritable()`)
   * wherever sync access handles are out of reach: shared and service workers, WebKit, pages
   * that may not start workers. `'sync'` insists on sync access handles (an
   * `UnsupportedOperationError` where there are none); `'async'` uses the asynchronous API here.
   */
  backend?: OpfsBackendChoice;
}

/** What every OPFS file has besides its capabilities. */
export interface OpfsFileInfo {
  /** The path inside the origin private file system. */
  readonly path: string;
  /** Which backend serves the file (see {@link OpfsOpenOptions.backend}). */
  readonly backend: OpfsBackendName;
}

/** `truncate`, on OPFS files open for writing in place or anew. */
export interface OpfsTruncate {
  /** Cuts or extends the file to `size` bytes, in order with the writes before it; the position stays. */
  truncate(size: number): Promise<void>;
}

/** `truncate` and `truncateSync`, on synchronous OPFS files. */
export interface OpfsTruncateSync extends OpfsTruncate {
  /** Synchronous {@link OpfsTruncate.truncate}. */
  truncateSync(size: number): void;
}

/** An OPFS file opened `'rb'`: random-access reads; synchronous in a worker. */
export type OpfsReader = (Async<RandomAccessFile> | SyncRandomAccessFile) & OpfsFileInfo;
/** An OPFS file opened `'wb'`: positional writes; synchronous in a worker. */
export type OpfsWriter = ((Async<WritableFile> & OpfsTruncate) | (SyncWritableFile & OpfsTruncateSync)) & OpfsFileInfo;
/** An OPFS file opened `'ab'`: writes at the end. */
export type OpfsAppender = (Async<OutputStream> | SyncOutputStream) & OpfsFileInfo;
/** An OPFS file opened `'rb+'`: reads and writes anywhere. */
export type OpfsReadWriter = ((Async<ReadWriteFile> & OpfsTruncate) | (SyncReadWriteFile & OpfsTruncateSync)) & OpfsFileInfo;

/** The file type {@link OpfsFile.open} gives for `mode`; `if (file.isSync)` narrows it. */
export type OpfsFileFor<M extends FileModeInput> = M extends 'rb' | 'r'
  ? OpfsReader
  : M extends 'wb' | 'w'
    ? OpfsWriter
    : M extends 'ab' | 'a'
      ? OpfsAppender
      : OpfsReadWriter;

/**
 * A file in the Origin Private File System, with random-access reads and writes.
 *
 * Opened inside a dedicated worker, it works straight on a `FileSystemSyncAccessHandle` and is
 * synchronous (`isSync`). Opened on a page, it is asynchronous and goes through the IO worker,
 * which reads into and writes from the page's pool memory directly when the page is
 * cross-origin isolated, and exchanges transferred copies otherwise. Where neither works
 * (shared and service workers, WebKit, pages that may not start workers) it is asynchronous on
 * `getFile()` and `createWritable()` in the same context: there writes become visible when
 * committed (on close, flush, or a read that follows them), and `flush()` copies the file
 * into a new swap file. A file dropped without `close()` releases its handle when
 * garbage-collected.
 *
 * Directories on the path are created for modes that write. `'wb'` replaces the file on close
 * (see {@link OpfsOpenOptions.atomic}), `'ab'` appends, `'rb+'` writes in place. A file that
 * another tab or worker holds is an `EBUSY` {@link IOError} (or, with `wait`, a wait); a
 * worker that cannot start or dies is an `EWORKER` one.
 */
export class OpfsFile extends unpooledFileClass<FileInterface & OpfsFileInfo>() {
  /** The path inside the origin private file system. */
  readonly path: string;
  /** Which backend serves the file (see {@link OpfsOpenOptions.backend}). */
  readonly backend: OpfsBackendName;

  private constructor(path: string, backend: OpfsBackendName, underlying: UnderlyingFile, traits: FileTraits) {
    super(underlying, traits);
    this.path = path;
    this.backend = backend;
  }

  /**
   * Opens the file at `path`, such as `'uploads/data.bin'`, creating its directories for modes
   * that write, and the file itself (an atomic `'wb'` creates it when it closes).
   */
  static async open<M extends FileModeInput = 'rb'>(
    path: string,
    mode?: M,
    options: OpfsOpenOptions = {},
  ): Promise<OpfsFileFor<M>> {
    splitOpfsPath(path);
    const canonical = parseFileMode(mode ?? 'rb', ['rb', 'wb', 'ab', 'rb+']);
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`options must be an object, got ${describe(options)}`);
    const { worker, atomic = true, wait = false, signal, startTimeout, backend = 'auto' } = options;
    if (worker !== undefined && typeof worker.postMessage !== 'function') {
      throw new TypeError(`options.worker must be a Worker, got ${describe(worker)}`);
    }
    if (backend !== 'auto' && backend !== 'sync' && backend !== 'async') {
      throw new TypeError(`options.backend must be 'auto', 'sync' or 'async', got ${describe(backend)}`);
    }
    if (backend === 'async' && worker !== undefined) throw new TypeError("options.worker cannot be used with backend 'async'");
    if (startTimeout !== undefined) checkSize(startTimeout, 'options.startTimeout');
    const opened = await openOpfsBackend(path, canonical, { choice: backend, worker, atomic, wait, signal, startTimeout });
    const traits: FileTraits = {
      kind: 'OpfsFile',
      mode: canonical,
      seekable: canonical !== 'ab',
      sync: opened.name === 'sync',
      position: canonical === 'ab' ? opened.size : 0,
      ...(opened.async ? { async: opened.async } : {}),
      ...(opened.knownSize ? { knownSize: opened.knownSize } : {}),
      ...(opened.allocate ? { allocate: opened.allocate } : {}),
      // Service workers, where OPFS files serve offline apps, refuse the import() that loads these.
      copies,
    };
    const file = new OpfsFile(path, opened.name, opened.backend, traits);
    opened.watch?.(file);
    return file as unknown as OpfsFileFor<M>;
  }

  /** Cuts or extends the file to `size` bytes, after the writes before it; the position stays. */
  async truncate(size: number): Promise<void> {
    this.#checkTruncatable();
    return NativeFile.prototype.truncate.call(this as unknown as NativeFile, size);
  }

  /** Synchronous {@link OpfsFile.truncate}, inside a worker. */
  truncateSync(size: number): void {
    this.#checkTruncatable();
    NativeFile.prototype.truncateSync.call(this as unknown as NativeFile, size);
  }

  #checkTruncatable(): void {
    if (!this.writable() || this.mode === 'ab') {
      throw new UnsupportedOperationError(`cannot truncate OpfsFile ${this.path} open in mode '${this.mode}'`);
    }
  }
}
