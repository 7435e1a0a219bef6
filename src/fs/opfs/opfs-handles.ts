/**
 * Finding OPFS entries by path for {@link OpfsFileSystem}, and turning the DOMExceptions of
 * the File System API into nativefile errors with codes.
 * @module
 */
import { FileNotFoundError, IOError, OutOfMemoryError } from '../../errors.js';
import { isTemporaryName } from '../../opfs/access-options.js';
import { splitOpfsPath } from '../../opfs/paths.js';
import type { FileInfo } from '../file-system.js';
import { checkPath, joinPath } from '../paths.js';
import { opfsRoot } from '../../platform/opfs-root.js';

/** A path checked and split: `clean` is what FileInfo reports, `segments` is empty for the root. */
export interface OpfsPath {
  readonly clean: string;
  readonly segments: readonly string[];
}

/** Checks `path` (`''` or `'/'` is the root) and splits it; bad segments are a `TypeError`. */
export function opfsPath(path: unknown, name = 'path'): OpfsPath {
  const clean = checkPath(path, name);
  const bare = clean.replace(/^\/+/, '');
  return { clean, segments: bare === '' ? [] : splitOpfsPath(bare) };
}

/** The DOMException's name, if `cause` is one. */
const nameOf = (cause: unknown): string | undefined => (cause as DOMException | undefined)?.name;

/** A DOMException of the File System API as the nativefile error with the matching code. */
export function domError(cause: unknown, path: string): unknown {
  switch (nameOf(cause)) {
    case 'NotFoundError':
      return new FileNotFoundError(`no such file or directory in the origin private file system: ${path}`, { cause });
    case 'TypeMismatchError':
      return new IOError(`${path}: a file where a directory is expected, or the other way round`, { code: 'ENOTDIR', cause });
    // Another tab or worker holds the file open (a sync access handle or a writable).
    case 'NoModificationAllowedError':
      return new IOError(`${path} is open elsewhere`, { code: 'EBUSY', cause });
    case 'InvalidModificationError':
      return new IOError(`${path}: directory not empty`, { code: 'ENOTEMPTY', cause });
    case 'QuotaExceededError':
      return new OutOfMemoryError(`the storage quota is used up (${path})`, { code: 'ENOSPC', cause });
    case 'NotAllowedError':
    case 'SecurityError':
      return new IOError(`access to the origin private file system is not allowed (${path})`, { code: 'EACCES', cause });
    default:
      return cause;
  }
}

/** What an entry is, once found. */
export type OpfsEntry =
  | { readonly kind: 'file'; readonly handle: FileSystemFileHandle; readonly parent: FileSystemDirectoryHandle }
  | {
      readonly kind: 'directory';
      readonly handle: FileSystemDirectoryHandle;
      readonly parent: FileSystemDirectoryHandle | undefined;
    };

/**
 * The directory at `segments`, creating missing ones with `create`; `undefined` when one is
 * missing or a file is on the way (as `stat` says ENOENT/ENOTDIR, both "nothing there").
 */
export async function directoryAt(segments: readonly string[], create = false): Promise<FileSystemDirectoryHandle | undefined> {
  let directory = await opfsRoot();
  for (const name of segments) {
    try {
      directory = await directory.getDirectoryHandle(name, { create });
    } catch (cause) {
      const reason = nameOf(cause);
      if (!create && (reason === 'NotFoundError' || reason === 'TypeMismatchError')) return undefined;
      throw cause;
    }
  }
  return directory;
}

/** The entry at `path`, or `undefined` when nothing is there. */
export async function entryAt({ segments }: OpfsPath): Promise<OpfsEntry | undefined> {
  if (segments.length === 0) return { kind: 'directory', handle: await opfsRoot(), parent: undefined };
  const parent = await directoryAt(segments.slice(0, -1));
  if (parent === undefined) return undefined;
  const name = segments[segments.length - 1]!;
  // One of the two lookups fails with TypeMismatchError for the other kind, NotFoundError for nothing.
  for (const kind of ['file', 'directory'] as const) {
    try {
      return kind === 'file'
        ? { kind, handle: await parent.getFileHandle(name), parent }
        : { kind, handle: await parent.getDirectoryHandle(name), parent };
    } catch (cause) {
      const reason = nameOf(cause);
      if (reason === 'NotFoundError') return undefined;
      if (reason !== 'TypeMismatchError') throw cause;
    }
  }
  return undefined;
}

/** The FileInfo of a found entry: size and mtime of a file come from `getFile()`. */
export async function infoOf(path: string, entry: OpfsEntry): Promise<FileInfo> {
  if (entry.kind === 'directory') return { path, type: 'directory' };
  const file = await entry.handle.getFile();
  return { path, type: 'file', size: file.size, mtime: new Date(file.lastModified) };
}

/**
 * The infos of everything in `directory` (the whole tree with `recursive`), paths below
 * `path`, but the partial siblings of atomic writes that crashed.
 */
export async function listEntries(directory: FileSystemDirectoryHandle, path: string, recursive: boolean): Promise<FileInfo[]> {
  const found: FileInfo[] = [];
  const subdirectories: [FileSystemDirectoryHandle, string][] = [];
  for await (const [name, handle] of directory.entries()) {
    const child = joinPath(path, name);
    if (handle.kind === 'file') {
      // A crashed atomic write's sibling: removed by the next open of its file, never listed.
      if (isTemporaryName(name)) continue;
      found.push(await infoOf(child, { kind: 'file', handle: handle as FileSystemFileHandle, parent: directory }));
    } else {
      found.push({ path: child, type: 'directory' });
      if (recursive) subdirectories.push([handle as FileSystemDirectoryHandle, child]);
    }
  }
  const below = await Promise.all(subdirectories.map(([handle, child]) => listEntries(handle, child, true)));
  return [...found, ...below.flat()];
}
