/**
 * {@link LocalFileSystem}: the local disk as a {@link FileSystem} (pyarrow's
 * `LocalFileSystem`), for Node. Paths are the OS's own.
 * @module
 */
import type { Stats } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { parse, resolve } from 'node:path';
import { FileNotFoundError, IOError, UnsupportedOperationError } from '../../errors.js';
import { OSFile, type OSFileMembers, type OSOutputFile } from '../../io/backends/os-file.js';
import type { SyncRandomAccessFile } from '../../io/core/interfaces.js';
import { fsError } from '../../io/fs-error.js';
import { checkDeleteOptions, deleteContentsOf } from '../dir-contents.js';
import type {
  CreateDirOptions,
  DeleteDirContentsOptions,
  FileInfo,
  FileSystem,
  ListDirOptions,
  OutputStreamOptions,
} from '../file-system.js';
import { recursiveOption, refuseResumable } from '../options.js';
import { checkPath, joinPath } from '../paths.js';

/** The FileInfo of `path` from its stats. Anything not a directory counts as a file, as it can be opened. */
function infoOf(path: string, stats: Stats): FileInfo {
  return stats.isDirectory()
    ? { path, type: 'directory', mtime: stats.mtime }
    : { path, type: 'file', size: stats.size, mtime: stats.mtime };
}

/** `stat` of `path`, or `undefined` when nothing is there (also for a file on the way: ENOTDIR, as Arrow has it). */
async function statOrNothing(path: string, follow = true): Promise<Stats | undefined> {
  try {
    return await (follow ? stat(path) : lstat(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw fsError(error, path);
  }
}

/**
 * The local disk as a filesystem (Node only). Files open as {@link OSFile}s, on libuv's thread
 * pool so that opening never blocks the event loop; they read both synchronously and
 * asynchronously. As in pyarrow, `openOutputStream` does not create missing parent
 * directories (a `FileNotFoundError`), `createDir` creates them unless `recursive: false`, and
 * `getFileInfo` follows symbolic links while `deleteFile` removes the link itself.
 */
export class LocalFileSystem implements FileSystem {
  /** `'local'`. */
  readonly typeName = 'local';

  /** Opens a file for random-access reading; a directory is an `EISDIR` {@link IOError}. */
  async openInputFile(path: string): Promise<SyncRandomAccessFile & OSFileMembers> {
    const clean = await this.#checkReadable(path);
    return OSFile.open(clean, 'rb');
  }

  /** Opens a file for reading; the same as {@link LocalFileSystem.openInputFile}. */
  async openInputStream(path: string): Promise<SyncRandomAccessFile & OSFileMembers> {
    return this.openInputFile(path);
  }

  /** Creates or truncates a file for writing; its directory must exist. */
  async openOutputStream(path: string, options?: OutputStreamOptions): Promise<OSOutputFile> {
    refuseResumable(options, 'LocalFileSystem', path);
    return OSFile.open(checkPath(path), 'wb');
  }

  /** Opens a file for appending, creating it when missing; its directory must exist. */
  async openAppendStream(path: string): Promise<OSOutputFile> {
    return OSFile.open(checkPath(path), 'ab');
  }

  /** What `path` names (following symbolic links), with its size and modification time. */
  async getFileInfo(path: string): Promise<FileInfo> {
    const clean = checkPath(path);
    const stats = await statOrNothing(clean);
    return stats === undefined ? { path: clean, type: 'not-found' } : infoOf(clean, stats);
  }

  /**
   * The entries of a directory (the whole tree below it with `recursive`), each with its
   * info; paths are `path` joined with the names, as text, so that each reaches its entry
   * the way `path` reached the directory (`link/..` is the OS's to resolve, through the
   * link). Order is the OS's, parents before children.
   */
  async listDir(path: string, options?: ListDirOptions): Promise<FileInfo[]> {
    const clean = checkPath(path);
    const recursive = recursiveOption(options, false);
    const list = async (dir: string): Promise<FileInfo[]> => {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        throw fsError(error, dir);
      }
      const infos = await Promise.all(
        names.map(async (name) => {
          const child = joinPath(dir, name);
          // An entry deleted while listing, or a dangling link, is left out rather than failing the listing.
          const stats = await statOrNothing(child);
          return stats === undefined ? undefined : infoOf(child, stats);
        }),
      );
      const found = infos.filter((info): info is FileInfo => info !== undefined);
      if (!recursive) return found;
      const below = await Promise.all(found.filter((info) => info.type === 'directory').map((info) => list(info.path)));
      return [...found, ...below.flat()];
    };
    return list(clean);
  }

  /**
   * Creates a directory, and its missing parents unless `recursive` is `false`. An existing
   * directory is fine (as in pyarrow); a file in the way is an `EEXIST` {@link IOError}.
   */
  async createDir(path: string, options?: CreateDirOptions): Promise<void> {
    const clean = checkPath(path);
    const recursive = recursiveOption(options, true);
    try {
      await mkdir(clean, { recursive });
    } catch (error) {
      // pyarrow lets an existing directory be without `recursive` too; a file there is EEXIST.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (await statOrNothing(clean))?.isDirectory()) return;
      throw fsError(error, clean);
    }
  }

  /** Deletes a file (or a symbolic link); a directory is an `EISDIR` {@link IOError}. */
  async deleteFile(path: string): Promise<void> {
    const clean = checkPath(path);
    const stats = await statOrNothing(clean, false);
    if (stats === undefined) throw new FileNotFoundError(`no such file: ${clean}`);
    // unlink on a directory is EISDIR on Linux but EPERM on macOS: check first, for one answer.
    if (stats.isDirectory()) throw new IOError(`is a directory: ${clean}`, { code: 'EISDIR' });
    try {
      await unlink(clean);
    } catch (error) {
      throw fsError(error, clean);
    }
  }

  /** Deletes a directory and everything in it; a file is an `ENOTDIR` {@link IOError}. */
  async deleteDir(path: string): Promise<void> {
    const clean = checkPath(path);
    const absolute = resolve(clean);
    if (parse(absolute).root === absolute)
      throw new IOError(`refusing to delete the root directory ${clean}`, { code: 'EACCES' });
    const stats = await statOrNothing(clean, false);
    if (stats === undefined) throw new FileNotFoundError(`no such directory: ${clean}`);
    if (!stats.isDirectory()) throw new IOError(`not a directory: ${clean}`, { code: 'ENOTDIR' });
    try {
      await rm(clean, { recursive: true });
    } catch (error) {
      throw fsError(error, clean);
    }
  }

  /**
   * Deletes everything in a directory, keeping it; never the disk's root, as pyarrow
   * (`UnsupportedOperationError`, `acceptRootDir` or not). Symbolic links in it are removed,
   * not followed, dangling ones too (as pyarrow's).
   */
  async deleteDirContents(path: string, options: DeleteDirContentsOptions = {}): Promise<void> {
    const absolute = resolve(checkPath(path));
    checkDeleteOptions(options);
    if (parse(absolute).root === absolute)
      throw new UnsupportedOperationError(
        `the local disk does not empty its root (${absolute}): empty each directory in it instead`,
      );
    await deleteContentsOf(this, path, options, false, async (dir) => {
      const clean = checkPath(dir);
      try {
        const entries = await readdir(clean, { withFileTypes: true });
        // A Dirent is typed as lstat types it: a link is not a directory, so deleteFile unlinks it.
        return entries.map((entry) => ({ path: joinPath(clean, entry.name), type: entry.isDirectory() ? 'directory' : 'file' }));
      } catch (error) {
        throw fsError(error, clean);
      }
    });
  }

  /** Moves (renames) a file or directory, replacing a file at `to` as `rename(2)` does. */
  async move(from: string, to: string): Promise<void> {
    const source = checkPath(from, 'from');
    const target = checkPath(to, 'to');
    try {
      await rename(source, target);
    } catch (error) {
      // Say which side is missing: ENOENT is either the source or the target's directory.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (await statOrNothing(source, false)) !== undefined) {
        throw new FileNotFoundError(`the directory of ${target} does not exist`, { cause: error });
      }
      throw fsError(error, source);
    }
  }

  /** Checks that `path` is a file (not a directory) before opening, since `open(2)` opens directories too. */
  async #checkReadable(path: string): Promise<string> {
    const clean = checkPath(path);
    const stats = await statOrNothing(clean);
    if (stats === undefined) throw new FileNotFoundError(`no such file: ${clean}`);
    if (stats.isDirectory()) throw new IOError(`is a directory: ${clean}`, { code: 'EISDIR' });
    return clean;
  }
}
