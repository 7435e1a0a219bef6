/**
 * {@link OpfsFileSystem}: the browser's Origin Private File System as a {@link FileSystem}.
 * @module
 */
import { FileNotFoundError, IOError, UnsupportedOperationError } from '../../errors.js';
import {
  OpfsFile,
  type OpfsAppender,
  type OpfsFileFor,
  type OpfsOpenOptions,
  type OpfsReader,
  type OpfsWriter,
} from '../../io/backends/opfs-file.js';
import { describe } from '../../util/validate.js';
import { deleteContentsOf } from '../dir-contents.js';
import type {
  CreateDirOptions,
  DeleteDirContentsOptions,
  FileInfo,
  FileSystem,
  ListDirOptions,
  OutputStreamOptions,
} from '../file-system.js';
import { recursiveOption, refuseResumable } from '../options.js';
import { directoryAt, domError, entryAt, infoOf, listEntries, opfsPath, type OpfsEntry, type OpfsPath } from './opfs-handles.js';
import {
  estimateStorage,
  persistStorage,
  storagePersisted,
  type OpfsStorageEstimate,
  type PersistOptions,
} from './opfs-storage.js';

export type { OpfsStorageEstimate, PersistOptions } from './opfs-storage.js';

/** Options of {@link OpfsFileSystem}: passed to every {@link OpfsFile.open} it makes. */
export type OpfsFileSystemOptions = Omit<OpfsOpenOptions, 'signal'>;

/** `FileSystemFileHandle.move()`, which Chromium and Firefox have and TypeScript's DOM types lack. */
interface MovableHandle {
  move?(destination: FileSystemDirectoryHandle, name: string): Promise<void>;
}

/** Bytes copied per read when a move has to copy. */
const COPY_CHUNK = 4 * 1024 * 1024;

/**
 * The Origin Private File System (`navigator.storage.getDirectory()`) as a filesystem, with
 * paths such as `'uploads/data.bin'` (a leading `/` changes nothing; `''` is the root).
 * Files open as {@link OpfsFile}s with the options given here. As on OPFS generally, opening
 * for writing creates missing directories on the way.
 *
 * `move` of a file uses `FileSystemFileHandle.move()` where the browser has it (Chromium,
 * Firefox); elsewhere (WebKit) it copies the file and deletes the original, which is not
 * atomic and needs room for both copies. Directories cannot be moved: an
 * `UnsupportedOperationError`.
 *
 * The origin's storage has a quota ({@link OpfsFileSystem.estimate}): a write that does not
 * fit is an `ENOSPC` {@link IOError}. Unless the app asks for persistence
 * ({@link OpfsFileSystem.persist}), the browser may evict the origin's storage when the disk
 * runs low, all of it at once: every OPFS file of the app.
 */
export class OpfsFileSystem implements FileSystem {
  /** `'opfs'`. */
  readonly typeName = 'opfs';
  readonly #options: OpfsFileSystemOptions;

  /** @param options passed to every {@link OpfsFile.open}, such as `{ worker }` or `{ backend: 'async' }`. */
  constructor(options: OpfsFileSystemOptions = {}) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`options must be an object, got ${describe(options)}`);
    this.#options = { ...options };
  }

  /**
   * How much the origin's storage uses and may use (`navigator.storage.estimate()`), in
   * bytes. The figures cover all of the origin's storage, OPFS and the rest, and browsers
   * round or pad them. Chromium (since 144) reports the usage plus 10 GiB (less on a smaller
   * disk) as the quota, so as not to reveal the disk's size, whatever it enforces: a write
   * may fail with room to spare by these figures.
   */
  async estimate(): Promise<OpfsStorageEstimate> {
    return estimateStorage();
  }

  /**
   * Asks the browser to keep the origin's storage when it runs short of space
   * (`navigator.storage.persist()`), and says whether it will. Storage that is not
   * persistent is "best effort": under storage pressure the browser evicts whole origins,
   * deleting every OPFS file of the app without asking (Chromium does, least recently used
   * first). An app whose files hold the only copy of the user's data (an upload in progress,
   * edits not synced) should ask. Chromium answers at once, by its own heuristics (an
   * installed app, a bookmarked or much-used site); Firefox asks the user, and the promise
   * settles when they answer (`signal` stops waiting).
   */
  async persist(options?: PersistOptions): Promise<boolean> {
    return persistStorage(options);
  }

  /** Whether the origin's storage is persistent (`navigator.storage.persisted()`): see {@link OpfsFileSystem.persist}. */
  async persisted(): Promise<boolean> {
    return storagePersisted();
  }

  /** Opens a file for random-access reading. */
  async openInputFile(path: string): Promise<OpfsReader> {
    return this.#open(path, 'rb');
  }

  /** Opens a file for reading; the same as {@link OpfsFileSystem.openInputFile}. */
  async openInputStream(path: string): Promise<OpfsReader> {
    return this.#open(path, 'rb');
  }

  /** Opens a file for writing, replacing it (atomically on close unless `atomic: false`). */
  async openOutputStream(path: string, options?: OutputStreamOptions): Promise<OpfsWriter> {
    refuseResumable(options, 'OpfsFileSystem', path);
    return this.#open(path, 'wb');
  }

  /** Opens a file for appending, creating it when missing. */
  async openAppendStream(path: string): Promise<OpfsAppender> {
    return this.#open(path, 'ab');
  }

  /** What `path` names; a file's size and mtime come from `getFile()`. */
  async getFileInfo(path: string): Promise<FileInfo> {
    const where = opfsPath(path);
    try {
      const entry = await entryAt(where);
      return entry === undefined ? { path: where.clean, type: 'not-found' } : await infoOf(where.clean, entry);
    } catch (cause) {
      throw domError(cause, where.clean);
    }
  }

  /** The entries of a directory (the whole tree with `recursive`); paths are `path` joined with the names. */
  async listDir(path: string, options?: ListDirOptions): Promise<FileInfo[]> {
    const where = opfsPath(path);
    const recursive = recursiveOption(options, false);
    const entry = await this.#existing(where, 'directory');
    try {
      return await listEntries(entry.handle as FileSystemDirectoryHandle, where.clean, recursive);
    } catch (cause) {
      throw domError(cause, where.clean);
    }
  }

  /**
   * Creates a directory, and its missing parents unless `recursive` is `false`. An existing
   * directory is fine (as in pyarrow); a file in the way is an `EEXIST` {@link IOError}.
   */
  async createDir(path: string, options?: CreateDirOptions): Promise<void> {
    const where = opfsPath(path);
    const recursive = recursiveOption(options, true);
    const existing = await entryAt(where).catch((cause: unknown) => Promise.reject(domError(cause, where.clean)));
    if (existing?.kind === 'directory') return;
    if (existing?.kind === 'file') throw new IOError(`a file is in the way: ${where.clean}`, { code: 'EEXIST' });
    const parentSegments = where.segments.slice(0, -1);
    try {
      if (!recursive && (await directoryAt(parentSegments)) === undefined) {
        throw new FileNotFoundError(`the parent of ${where.clean} does not exist`);
      }
      await directoryAt(where.segments, true);
    } catch (cause) {
      throw domError(cause, where.clean);
    }
  }

  /** Deletes a file; a directory is an `EISDIR` {@link IOError}, a file open elsewhere `EBUSY`. */
  async deleteFile(path: string): Promise<void> {
    const where = opfsPath(path);
    const entry = await this.#existing(where, 'file');
    try {
      await entry.parent!.removeEntry(where.segments[where.segments.length - 1]!);
    } catch (cause) {
      throw domError(cause, where.clean);
    }
  }

  /** Deletes everything in a directory, keeping it; the root only with `acceptRootDir`. */
  async deleteDirContents(path: string, options: DeleteDirContentsOptions = {}): Promise<void> {
    await deleteContentsOf(this, path, options, opfsPath(path).segments.length === 0);
  }

  /** Deletes a directory and everything in it; a file is an `ENOTDIR` {@link IOError}. */
  async deleteDir(path: string): Promise<void> {
    const where = opfsPath(path);
    if (where.segments.length === 0)
      throw new IOError('refusing to delete the root of the origin private file system', { code: 'EACCES' });
    const entry = await this.#existing(where, 'directory');
    try {
      await entry.parent!.removeEntry(where.segments[where.segments.length - 1]!, { recursive: true });
    } catch (cause) {
      throw domError(cause, where.clean);
    }
  }

  /**
   * Moves a file, replacing a file at `to`; the directory of `to` must exist. Uses
   * `FileSystemFileHandle.move()` where there is one, else copies and deletes (not atomic).
   */
  async move(from: string, to: string): Promise<void> {
    const source = opfsPath(from, 'from');
    const target = opfsPath(to, 'to');
    const entry = await this.#existing(source);
    if (entry.kind === 'directory')
      throw new UnsupportedOperationError(`OpfsFileSystem cannot move directories (${source.clean})`);
    if (source.segments.join('/') === target.segments.join('/')) return;
    if (target.segments.length === 0) throw new IOError('cannot move onto the root directory', { code: 'EISDIR' });
    try {
      const directory = await directoryAt(target.segments.slice(0, -1));
      if (directory === undefined) {
        const above = await entryAt({ ...target, segments: target.segments.slice(0, -1) });
        if (above?.kind === 'file') throw new IOError(`not a directory: the parent of ${target.clean}`, { code: 'ENOTDIR' });
        throw new FileNotFoundError(`the directory of ${target.clean} does not exist`);
      }
      const existing = await entryAt(target);
      if (existing?.kind === 'directory') throw new IOError(`is a directory: ${target.clean}`, { code: 'EISDIR' });
      const name = target.segments[target.segments.length - 1]!;
      const handle = entry.handle as FileSystemFileHandle & MovableHandle;
      if (typeof handle.move === 'function') {
        // Browsers differ on whether move() replaces an existing file: rename(2) does, so clear it first.
        if (existing !== undefined) await directory.removeEntry(name);
        await handle.move(directory, name);
        return;
      }
      await this.#copy(source.clean, target.clean);
      await entry.parent.removeEntry(source.segments[source.segments.length - 1]!);
    } catch (cause) {
      throw domError(cause, source.clean);
    }
  }

  /** Opens through OpfsFile; a directory at `path` is `EISDIR`, whatever the backend said. */
  async #open<M extends 'rb' | 'wb' | 'ab'>(path: string, mode: M): Promise<OpfsFileFor<M>> {
    const where = opfsPath(path);
    if (where.segments.length === 0) throw new IOError('the root is a directory', { code: 'EISDIR' });
    try {
      return await OpfsFile.open<M>(where.clean, mode, this.#options);
    } catch (error) {
      // Only on failure: a directory costs no extra lookup on the way to a successful open.
      if ((await entryAt(where).catch(() => undefined))?.kind === 'directory') {
        throw new IOError(`is a directory: ${where.clean}`, { code: 'EISDIR', cause: error });
      }
      throw domError(error, where.clean);
    }
  }

  /** The entry at `where`, which must be there (and of `kind`, when given). */
  async #existing(where: OpfsPath, kind?: 'file' | 'directory'): Promise<OpfsEntry> {
    let entry: OpfsEntry | undefined;
    try {
      entry = await entryAt(where);
    } catch (cause) {
      throw domError(cause, where.clean);
    }
    if (entry === undefined) throw new FileNotFoundError(`no such ${kind ?? 'file or directory'}: ${where.clean}`);
    if (kind === 'file' && entry.kind === 'directory') throw new IOError(`is a directory: ${where.clean}`, { code: 'EISDIR' });
    if (kind === 'directory' && entry.kind === 'file') throw new IOError(`not a directory: ${where.clean}`, { code: 'ENOTDIR' });
    return entry;
  }

  /** Copies a file through OpfsFile, which works in every context OPFS files open in. */
  async #copy(from: string, to: string): Promise<void> {
    const input = await OpfsFile.open(from, 'rb', this.#options);
    try {
      const output = await OpfsFile.open(to, 'wb', this.#options);
      try {
        for (let chunk = await input.read(COPY_CHUNK); chunk.length > 0; chunk = await input.read(COPY_CHUNK))
          await output.write(chunk);
        await output.close();
      } catch (error) {
        await output.abort(error);
        throw error;
      }
    } finally {
      await input.close();
    }
  }
}
