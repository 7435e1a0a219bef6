import { FileNotFoundError } from '../../errors.js';
import { describe } from '../../util/validate.js';

/** The segments of an OPFS path such as `'uploads/2026/data.bin'`; bad names are a `TypeError`. */
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

/**
 * The OPFS file at `path`: directories on the way are created when `create` is set;
 * otherwise a missing one is a {@link FileNotFoundError}.
 */
export async function opfsFileHandle(path: string, create: boolean): Promise<FileSystemFileHandle> {
  const segments = splitOpfsPath(path);
  let directory = await navigator.storage.getDirectory();
  try {
    for (const name of segments.slice(0, -1)) directory = await directory.getDirectoryHandle(name, { create });
    return await directory.getFileHandle(segments[segments.length - 1]!, { create });
  } catch (cause) {
    if ((cause as DOMException).name === 'NotFoundError') {
      throw new FileNotFoundError(`no such file in the origin private file system: ${describe(path)}`, { cause });
    }
    throw cause;
  }
}
