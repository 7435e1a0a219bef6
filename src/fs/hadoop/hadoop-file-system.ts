/**
 * {@link HadoopFileSystem}: HDFS over the WebHDFS REST API, as a {@link FileSystem}
 * (pyarrow's `HadoopFileSystem` talks to the same NameNode through libhdfs).
 * @module
 */
import { FileNotFoundError, IOError } from '../../errors.js';
import { Limiter } from '../../remote/limiter.js';
import { remoteReader, type RemoteReadOptions } from '../../remote/remote-reader.js';
import { checkPositiveSize } from '../../util/validate.js';
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
import { absolutePath, checkRemotePath, joinPath, parentPath } from '../paths.js';
import { HdfsFile, HdfsOutputStream } from './hdfs-file.js';
import { hdfsWriter } from './hdfs-writer.js';
import { WebHdfsClient, type WebHdfsOptions } from './webhdfs-client.js';

/** Options of {@link HadoopFileSystem}. */
export interface HadoopFileSystemOptions extends WebHdfsOptions, Omit<RemoteReadOptions, 'retry' | 'signal'> {
  /** Bytes an output stream gathers before sending them (one CREATE or APPEND each). Default 8 MiB. */
  bufferSize?: number;
}

/** A WebHDFS `FileStatus`. */
interface FileStatus {
  readonly pathSuffix: string;
  readonly type: 'FILE' | 'DIRECTORY' | 'SYMLINK';
  readonly length: number;
  readonly modificationTime: number;
}

/** The FileInfo of `path` from its status, checked: a server's answer may hold anything. */
function infoOf(path: string, status: FileStatus | undefined): FileInfo {
  if (typeof status?.type !== 'string' || typeof status.modificationTime !== 'number')
    throw new IOError(`the NameNode answered for ${path} without a FileStatus`, { code: 'EPROTO' });
  const type = status.type === 'DIRECTORY' ? 'directory' : 'file';
  return { path, type, ...(type === 'file' ? { size: status.length } : {}), mtime: new Date(status.modificationTime) };
}

/**
 * A listed entry's name, checked: one that is empty, `.`, `..` or holds a `/` would make the
 * listing (and what walks it: recursive listings, `copyFiles`) go somewhere else, or loop.
 */
function checkSuffix(suffix: unknown, dir: string): string {
  if (typeof suffix !== 'string' || suffix === '' || suffix === '.' || suffix === '..' || suffix.includes('/')) {
    throw new IOError(`the NameNode listed ${dir} with an entry named ${JSON.stringify(suffix)}, which is not a name`, {
      code: 'EPROTO',
    });
  }
  return suffix;
}

/**
 * HDFS through WebHDFS: reads are OPENs with offset and length (redirected to a DataNode),
 * writes two-step CREATE and APPEND with `noredirect=true`, and metadata GETFILESTATUS,
 * LISTSTATUS, MKDIRS, DELETE and RENAME. Paths are absolute (`/user/me/data.parquet`);
 * a relative path is taken from the root.
 */
export class HadoopFileSystem implements FileSystem {
  /** `'hdfs'`. */
  readonly typeName = 'hdfs';
  readonly #client: WebHdfsClient;
  readonly #readOptions: RemoteReadOptions;
  readonly #bufferSize: number;

  /** @param options the NameNode's HTTP URL and who to be. */
  constructor(options: HadoopFileSystemOptions) {
    this.#client = new WebHdfsClient(options);
    const { readAhead, concurrency, holeSizeLimit, rangeSizeLimit } = options;
    this.#readOptions = { readAhead, concurrency, holeSizeLimit, rangeSizeLimit, retry: this.#client.retry };
    this.#bufferSize = checkPositiveSize(options.bufferSize ?? 8 * 1024 * 1024, 'bufferSize');
  }

  /** Opens a file for random-access reading (one GETFILESTATUS for its size). */
  async openInputFile(path: string): Promise<HdfsFile> {
    const clean = absolutePath(checkRemotePath(path));
    const info = await this.getFileInfo(clean);
    if (info.type === 'not-found') throw new FileNotFoundError(`no such file: ${clean}`);
    if (info.type === 'directory') throw new IOError(`is a directory: ${clean}`, { code: 'EISDIR' });
    const size = info.size ?? 0;
    return new HdfsFile(remoteReader(this.#client.transport(clean), size, this.#readOptions), clean, size);
  }

  /** Opens a file for reading; the same as {@link HadoopFileSystem.openInputFile}. */
  async openInputStream(path: string): Promise<HdfsFile> {
    return this.openInputFile(path);
  }

  /**
   * Opens a file for writing: it is replaced at the first flush (or at close). A directory at
   * `path` is refused here (`EISDIR`), as on every other store, not at the first flush.
   */
  async openOutputStream(path: string, options?: OutputStreamOptions): Promise<HdfsOutputStream> {
    refuseResumable(options, 'HadoopFileSystem', path);
    const clean = absolutePath(checkRemotePath(path));
    // One GETFILESTATUS, as openAppendStream makes: CREATE alone would find the directory
    // only when the first bytes are sent.
    if ((await this.getFileInfo(clean)).type === 'directory') throw new IOError(`is a directory: ${clean}`, { code: 'EISDIR' });
    return new HdfsOutputStream(hdfsWriter(this.#client, clean, { exists: false, bufferSize: this.#bufferSize }), clean, false);
  }

  /** Opens a file for appending, creating it if missing. */
  async openAppendStream(path: string): Promise<HdfsOutputStream> {
    const clean = absolutePath(checkRemotePath(path));
    const info = await this.getFileInfo(clean);
    if (info.type === 'directory') throw new IOError(`is a directory: ${clean}`, { code: 'EISDIR' });
    const writer = hdfsWriter(this.#client, clean, { exists: info.type === 'file', bufferSize: this.#bufferSize });
    return new HdfsOutputStream(writer, clean, true);
  }

  /** GETFILESTATUS; a missing path is `type: 'not-found'`. */
  async getFileInfo(path: string): Promise<FileInfo> {
    const clean = absolutePath(checkRemotePath(path));
    try {
      const { FileStatus: status } = await this.#client.json<{ FileStatus?: FileStatus }>({
        method: 'GET',
        path: clean,
        op: 'GETFILESTATUS',
      });
      return infoOf(clean, status);
    } catch (error) {
      if (error instanceof FileNotFoundError) return { path: clean, type: 'not-found' };
      throw error;
    }
  }

  /** LISTSTATUS (walked, 8 directories at a time, with `recursive`). */
  async listDir(path: string, options?: ListDirOptions): Promise<FileInfo[]> {
    const recursive = recursiveOption(options, false);
    const clean = absolutePath(checkRemotePath(path));
    const limiter = new Limiter(8);
    const list = async (dir: string): Promise<FileInfo[]> => {
      const answer = await limiter.run(() =>
        this.#client.json<{ FileStatuses: { FileStatus: FileStatus[] } }>({ method: 'GET', path: dir, op: 'LISTSTATUS' }),
      );
      const statuses = answer.FileStatuses.FileStatus;
      // LISTSTATUS of a file answers the file itself, with an empty suffix.
      if (statuses.length === 1 && statuses[0]!.pathSuffix === '' && statuses[0]!.type !== 'DIRECTORY') {
        throw new IOError(`not a directory: ${dir}`, { code: 'ENOTDIR' });
      }
      const infos = statuses.map((status) => infoOf(joinPath(dir, checkSuffix(status.pathSuffix, dir)), status));
      if (!recursive) return infos;
      const below = await Promise.all(infos.filter((i) => i.type === 'directory').map((i) => list(i.path)));
      return [...infos, ...below.flat()];
    };
    return list(clean);
  }

  /** MKDIRS; without `recursive`, the parent must exist. */
  async createDir(path: string, options?: CreateDirOptions): Promise<void> {
    const recursive = recursiveOption(options, true);
    const clean = absolutePath(checkRemotePath(path));
    if (!recursive) {
      const parent = await this.getFileInfo(parentPath(clean));
      if (parent.type === 'not-found') throw new FileNotFoundError(`the parent of ${clean} does not exist`);
      if (parent.type === 'file') throw new IOError(`the parent of ${clean} is a file`, { code: 'ENOTDIR' });
    }
    const { boolean: made } = await this.#client.json<{ boolean: boolean }>({ method: 'PUT', path: clean, op: 'MKDIRS' });
    if (!made) throw new IOError(`could not create directory ${clean}`, { code: 'EIO' });
  }

  /** DELETE of a file. */
  async deleteFile(path: string): Promise<void> {
    const clean = absolutePath(checkRemotePath(path));
    const info = await this.getFileInfo(clean);
    if (info.type === 'not-found') throw new FileNotFoundError(`no such file: ${clean}`);
    if (info.type === 'directory') throw new IOError(`is a directory: ${clean}`, { code: 'EISDIR' });
    await this.#delete(clean, false);
  }

  /** Deletes everything in a directory, keeping it; the root only with `acceptRootDir`. */
  async deleteDirContents(path: string, options: DeleteDirContentsOptions = {}): Promise<void> {
    const clean = absolutePath(checkRemotePath(path));
    await deleteContentsOf(this, clean, options, clean === '/');
  }

  /** DELETE of a directory with everything in it. */
  async deleteDir(path: string): Promise<void> {
    const clean = absolutePath(checkRemotePath(path));
    if (clean === '/') throw new IOError('refusing to delete the root of HDFS', { code: 'EACCES' });
    const info = await this.getFileInfo(clean);
    if (info.type === 'not-found') throw new FileNotFoundError(`no such directory: ${clean}`);
    if (info.type === 'file') throw new IOError(`not a directory: ${clean}`, { code: 'ENOTDIR' });
    await this.#delete(clean, true);
  }

  /**
   * RENAME. A file moved onto a file replaces it, as pyarrow's does: WebHDFS's RENAME never
   * overwrites, so the target is deleted first (two requests, not one atomic step). HDFS
   * answers `false` (no exception) when the source is missing or the target exists, and
   * moves the source into a directory at the target: so a directory there is refused first
   * (`EISDIR`, as on a disk), and a failed RENAME says which side was wrong.
   */
  async move(from: string, to: string): Promise<void> {
    const source = absolutePath(checkRemotePath(from, 'from'));
    const target = absolutePath(checkRemotePath(to, 'to'));
    if (source === target) return;
    const there = await this.getFileInfo(target);
    if (there.type === 'directory') throw new IOError(`cannot replace directory ${target}`, { code: 'EISDIR' });
    if (await this.#rename(source, target)) return;
    const [was, above] = await Promise.all([this.getFileInfo(source), this.getFileInfo(parentPath(target))]);
    if (was.type === 'not-found') throw new FileNotFoundError(`no such file or directory: ${source}`);
    if (above.type === 'not-found') throw new FileNotFoundError(`the directory of ${target} does not exist`);
    if (above.type === 'file') throw new IOError(`not a directory: the parent of ${target}`, { code: 'ENOTDIR' });
    if (was.type === 'file' && there.type === 'file') {
      await this.#delete(target, false);
      if (await this.#rename(source, target)) return;
    }
    throw new IOError(`could not move ${source} to ${target}: HDFS refused the rename`, { code: 'EEXIST' });
  }

  async #rename(source: string, target: string): Promise<boolean> {
    const answer = await this.#client.json<{ boolean: boolean }>({
      method: 'PUT',
      path: source,
      op: 'RENAME',
      params: { destination: target },
    });
    return answer.boolean;
  }

  async #delete(path: string, recursive: boolean): Promise<void> {
    const { boolean: deleted } = await this.#client.json<{ boolean: boolean }>({
      method: 'DELETE',
      path,
      op: 'DELETE',
      params: { recursive: String(recursive) },
    });
    if (!deleted) throw new FileNotFoundError(`could not delete ${path}`);
  }
}
