/**
 * `deleteDirContents` written once over the {@link FileSystem} interface: the directory's
 * entries, each deleted as what it is, the directory itself kept.
 * @module
 */
import { FileNotFoundError, IOError } from '../errors.js';
import { eachLimited } from '../remote/limiter.js';
import { describe } from '../util/validate.js';
import type { DeleteDirContentsOptions, FileInfo, FileSystem } from './file-system.js';

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
 * Deletes what `path` of `fs` holds, keeping `path` (8 entries at a time). A failure stops
 * the rest, and is thrown once no deletion is still running.
 * @param isRoot whether `path` is the filesystem's root, which is emptied only when asked.
 * @param entriesOf the entries to delete, each typed as what deletes it (the local disk's
 * symbolic links are files here, where its `listDir` follows them).
 */
export async function deleteContentsOf(
  fs: FileSystem,
  path: string,
  options: DeleteDirContentsOptions,
  isRoot: boolean,
  entriesOf: (path: string) => Promise<readonly FileInfo[]> = (dir) => fs.listDir(dir),
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
  await eachLimited(await entriesOf(path), 8, (entry) =>
    entry.type === 'directory' ? fs.deleteDir(entry.path) : fs.deleteFile(entry.path),
  );
}
