/**
 * `deleteDirContents` written once over the {@link FileSystem} interface: the directory's
 * entries, each deleted as what it is, the directory itself kept.
 * @module
 */
import { FileNotFoundError, IOError } from '../errors.js';
import { Limiter } from '../remote/limiter.js';
import { describe } from '../util/validate.js';
import type { DeleteDirContentsOptions, FileSystem } from './file-system.js';

/** Checks the options of `deleteDirContents`. */
export function checkDeleteOptions(options: DeleteDirContentsOptions): Required<DeleteDirContentsOptions> {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object, got ${describe(options)}`);
  for (const name of ['missingDirOk', 'acceptRootDir'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean')
      throw new TypeError(`options.${name} must be a boolean, got ${describe(options[name])}`);
  }
  return { missingDirOk: options.missingDirOk ?? false, acceptRootDir: options.acceptRootDir ?? false };
}

/**
 * Deletes what `path` of `fs` holds, keeping `path` (8 entries at a time).
 * @param isRoot whether `path` is the filesystem's root, which is emptied only when asked.
 */
export async function deleteContentsOf(
  fs: FileSystem,
  path: string,
  options: DeleteDirContentsOptions,
  isRoot: boolean,
): Promise<void> {
  const { missingDirOk, acceptRootDir } = checkDeleteOptions(options);
  if (isRoot && !acceptRootDir)
    throw new IOError(`refusing to empty the root ${JSON.stringify(path)} of ${fs.typeName} (pass acceptRootDir: true)`, {
      code: 'EACCES',
    });
  const info = await fs.getFileInfo(path);
  if (info.type === 'not-found') {
    if (missingDirOk) return;
    throw new FileNotFoundError(`no such directory: ${path}`);
  }
  if (info.type === 'file') throw new IOError(`not a directory: ${path}`, { code: 'ENOTDIR' });
  const limiter = new Limiter(8);
  const entries = await fs.listDir(path);
  await Promise.all(
    entries.map((entry) =>
      limiter.run(() => (entry.type === 'directory' ? fs.deleteDir(entry.path) : fs.deleteFile(entry.path))),
    ),
  );
}
