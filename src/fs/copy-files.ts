/**
 * {@link copyFiles}: pyarrow's `copy_files`, a file or a whole tree from one filesystem to
 * another (OPFS to S3 for an upload later, S3 to OPFS for offline use, anything to anything).
 * Files stream through in chunks, into the destination's own writer (S3's and Azure's
 * multipart uploads for large files), so memory stays bounded whatever the sizes; two paths
 * of one filesystem that copies on the store's side (`copyFile`) do not pass through here.
 * @module
 */
import { FileNotFoundError, IOError } from '../errors.js';
import { checkPositiveSize, describe } from '../util/validate.js';
import type { FileInfo, FileSystem } from './file-system.js';
import { baseName, checkPath, joinPath, parentPath } from './paths.js';

/** Options of {@link copyFiles}. */
export interface CopyFilesOptions {
  /** Told the bytes copied so far and the total of the files to copy. */
  onProgress?: (bytesCopied: number, totalBytes: number) => void;
  /** Stops the copy: the file being written is discarded (`abort()`), and the call rejects with the reason. */
  signal?: AbortSignal;
  /** Bytes read and written at once. Default 1 MiB. */
  chunkSize?: number;
}

/** What {@link copyFiles} copied. */
export interface CopyFilesResult {
  /** Files copied. */
  readonly files: number;
  /** Bytes copied. */
  readonly bytes: number;
}

function checkFileSystem(fs: unknown, name: string): FileSystem {
  const candidate = fs as Partial<FileSystem> | null;
  if (typeof candidate?.getFileInfo !== 'function' || typeof candidate.openOutputStream !== 'function')
    throw new TypeError(`${name} must be a FileSystem, got ${describe(fs)}`);
  return fs as FileSystem;
}

/**
 * Copies the file or directory tree at `sourcePath` of `source` to `destinationPath` of
 * `destination` (pyarrow's `copy_files`): a file to that path, a directory's files and
 * directories below that path, empty ones included. Files already at the destination are
 * replaced.
 * @throws FileNotFoundError when `sourcePath` does not exist; the stores' errors.
 */
export async function copyFiles(
  source: FileSystem,
  sourcePath: string,
  destination: FileSystem,
  destinationPath: string,
  options: CopyFilesOptions = {},
): Promise<CopyFilesResult> {
  checkFileSystem(source, 'source');
  checkFileSystem(destination, 'destination');
  checkPath(sourcePath, 'sourcePath');
  checkPath(destinationPath, 'destinationPath');
  const chunkSize = checkPositiveSize(options.chunkSize ?? 1024 * 1024, 'options.chunkSize');
  const { onProgress, signal } = options;
  if (onProgress !== undefined && typeof onProgress !== 'function')
    throw new TypeError(`options.onProgress must be a function, got ${describe(onProgress)}`);
  signal?.throwIfAborted();

  const root = await source.getFileInfo(sourcePath);
  if (root.type === 'not-found') throw new FileNotFoundError(`nothing to copy at ${sourcePath}`);
  const pairs: Array<{ from: FileInfo; to: string }> = [];
  if (root.type === 'file') {
    pairs.push({ from: root, to: destinationPath });
  } else {
    // The whole listing is checked before anything is written: its names come from a server.
    const directories: string[] = [];
    for (const entry of await source.listDir(sourcePath, { recursive: true })) {
      const to = joinPath(destinationPath, relativePath(entry.path, root.path, sourcePath));
      if (entry.type === 'directory') directories.push(to);
      else pairs.push({ from: entry, to });
    }
    await destination.createDir(destinationPath, { recursive: true });
    for (const directory of directories) await destination.createDir(directory, { recursive: true });
  }

  const total = pairs.reduce((sum, { from }) => sum + (from.size ?? 0), 0);
  let copied = 0;
  const serverSide = source === destination && typeof source.copyFile === 'function';
  for (const { from, to } of pairs) {
    signal?.throwIfAborted();
    if (serverSide) {
      await source.copyFile!(from.path, to, signal === undefined ? {} : { signal });
      copied += from.size ?? 0;
    } else {
      copied += await copyOne(source, from.path, destination, to, chunkSize, signal, (bytes) =>
        onProgress?.(copied + bytes, total),
      );
    }
    onProgress?.(copied, total);
  }
  return { files: pairs.length, bytes: copied };
}

/** The segments of a `/`-separated path, `.` and empty ones left out and `..` resolved where it can be. */
function segmentsOf(path: string): string[] {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && segments.length > 0 && segments.at(-1) !== '..') segments.pop();
    else segments.push(segment);
  }
  return segments;
}

/**
 * Where a listed entry goes below the destination: its path relative to the source
 * directory. A listing's names come from the source's server, which may return anything
 * (S3 keys may hold `..` segments), so an entry that is not below the source directory, or
 * that climbs out of it, is an `EPROTO` error rather than a write elsewhere on the disk.
 */
function relativePath(entry: string, base: string, sourcePath: string): string {
  const above = segmentsOf(base);
  const names = entry.split('/').filter((segment) => segment !== '' && segment !== '.');
  const inside =
    names.length > above.length &&
    segmentsOf(names.slice(0, above.length).join('/')).join('/') === above.join('/') &&
    // '..' climbs, and so does '..' between backslashes, on a disk that takes them as separators.
    names.slice(above.length).every((name) => !name.split('\\').includes('..'));
  if (!inside) {
    throw new IOError(`the listing of ${sourcePath} holds ${JSON.stringify(entry)}, which is not below it: nothing was copied`, {
      code: 'EPROTO',
    });
  }
  return names.slice(above.length).join('/');
}

/**
 * Stores whose files appear whole when their writer closes (multipart uploads, staged blocks,
 * OPFS's atomic 'wb'). On the others (the local disk, HDFS) a copy writes a sibling and moves
 * it over the target once complete, so a failure never leaves a torn file where one was.
 */
const COMMIT_ON_CLOSE = new Set(['s3', 'abfs', 'opfs']);

/** Streams one file across; what the destination got of a failed copy is discarded. */
async function copyOne(
  source: FileSystem,
  from: string,
  destination: FileSystem,
  to: string,
  chunkSize: number,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): Promise<number> {
  if (COMMIT_ON_CLOSE.has(destination.typeName)) return copyInto(source, from, destination, to, chunkSize, signal, onBytes);
  // Named after the target, cut to 32 characters: a disk takes names of 255 bytes at most,
  // and the target's may be that long already.
  const named = Array.from(baseName(to)).slice(0, 32).join('');
  const sibling = joinPath(parentPath(to), `${named}.nativefile-${Math.random().toString(36).slice(2, 10)}.partial`);
  try {
    const count = await copyInto(source, from, destination, sibling, chunkSize, signal, onBytes);
    await destination.move(sibling, to);
    return count;
  } catch (error) {
    await destination.deleteFile(sibling).catch(() => {});
    throw error;
  }
}

/** Streams one file into `to`, whose writer is aborted if the copy fails. */
async function copyInto(
  source: FileSystem,
  from: string,
  destination: FileSystem,
  to: string,
  chunkSize: number,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): Promise<number> {
  const input = await source.openInputStream(from);
  try {
    const output = await destination.openOutputStream(to);
    try {
      const count = await output.upload(input, { chunkSize, onProgress: onBytes, ...(signal === undefined ? {} : { signal }) });
      await output.close();
      return count;
    } catch (error) {
      await output.abort().catch(() => {});
      throw error instanceof Error ? error : new IOError(`copying ${from} to ${to} failed: ${String(error)}`, { cause: error });
    }
  } finally {
    await input.close().catch(() => {});
  }
}
