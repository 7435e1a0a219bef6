/**
 * OPFS paths such as `'uploads/2026/data.bin'`: checking them, and finding their directory.
 * @module
 */
import { FileNotFoundError, IOError } from '../errors.js';
import { describe } from '../util/validate.js';
import { opfsRoot } from '../platform/opfs-root.js';

/** The segments of an OPFS path; bad names are a `TypeError`. */
export function splitOpfsPath(path: unknown): string[] {
  if (typeof path !== 'string') throw new TypeError(`path must be a string, got ${describe(path)}`);
  const segments = path.replace(/^\/+/, '').split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new TypeError(`path ${describe(path)} has an empty, '.' or '..' segment; use names like 'dir/file.bin'`);
    }
  }
  return segments;
}

/** Where a file lives: its directory and its name in it. */
export interface OpfsLocation {
  readonly directory: FileSystemDirectoryHandle;
  readonly name: string;
}

/**
 * The directory of `path`: directories on the way are created when `create` is set;
 * otherwise a missing one is a {@link FileNotFoundError}.
 */
export async function opfsLocation(path: string, create: boolean): Promise<OpfsLocation> {
  const segments = splitOpfsPath(path);
  let directory = await opfsRoot();
  try {
    for (const name of segments.slice(0, -1)) directory = await directory.getDirectoryHandle(name, { create });
  } catch (cause) {
    throw opfsError(cause, path, 'ENOTDIR');
  }
  return { directory, name: segments[segments.length - 1]! };
}

/** The file `name` in `directory`, created when `create` is set. */
export async function opfsFileHandle(location: OpfsLocation, create: boolean, path: string): Promise<FileSystemFileHandle> {
  try {
    return await location.directory.getFileHandle(location.name, { create });
  } catch (cause) {
    throw opfsError(cause, path, 'EISDIR');
  }
}

/**
 * Checks that `location` names a file or nothing, without creating one (a directory there is
 * a `TypeMismatchError`): an atomic `'wb'` creates a new file by moving its sibling there,
 * which is cheaper than creating it first and moving over it (Firefox: 2.5 ms an open).
 * Resolves to the file's handle, or `undefined` when there is none.
 */
export async function checkFileOrNothing(location: OpfsLocation, path: string): Promise<FileSystemFileHandle | undefined> {
  return location.directory.getFileHandle(location.name).catch((cause: unknown) => {
    if ((cause as DOMException).name !== 'NotFoundError') throw opfsError(cause, path, 'EISDIR');
    return undefined;
  });
}

/**
 * A lookup's failure naming `path`: `NotFoundError` as a {@link FileNotFoundError}, and
 * `TypeMismatchError` (an entry of the other kind) as an {@link IOError} with `mismatch`,
 * `EISDIR` where a file was looked for, `ENOTDIR` where a directory on the way; anything else
 * unchanged.
 */
function opfsError(cause: unknown, path: string, mismatch: 'EISDIR' | 'ENOTDIR'): unknown {
  const name = (cause as DOMException | undefined)?.name;
  const where = JSON.stringify(path);
  if (name === 'NotFoundError')
    return new FileNotFoundError(`no such file in the origin private file system: ${where}`, { cause });
  if (name !== 'TypeMismatchError') return cause;
  const what = mismatch === 'EISDIR' ? `is a directory: ${where}` : `a file is on the way to ${where}, not a directory`;
  return new IOError(what, { code: mismatch, cause });
}
