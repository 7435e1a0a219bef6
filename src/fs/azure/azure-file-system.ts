/**
 * {@link AzureFileSystem}: Azure Blob Storage as a {@link FileSystem}, with paths
 * `container/blob` as in pyarrow's `AzureFileSystem`, through the Blob service's REST API.
 * @module
 */
import { FileNotFoundError, IOError, UnsupportedOperationError } from '../../errors.js';
import { remoteReader, type RemoteReadOptions } from '../../remote/remote-reader.js';
import { checkPositiveSize } from '../../util/validate.js';
import type {
  CopyFileOptions,
  CreateDirOptions,
  DeleteDirContentsOptions,
  FileInfo,
  ListDirOptions,
  OutputStreamOptions,
  ResumableFileSystem,
  ResumableStreamOptions,
} from '../file-system.js';
import { checkDeleteOptions } from '../dir-contents.js';
import { recursiveOption } from '../options.js';
import { needBlob, split } from './azure-paths.js';
import { appendTo } from './azure-append.js';
import { deletePrefix, ensureMarker, keepParent, statBlob, type BlobStat } from './azure-blobs.js';
import { AzureClient, type AzureClientOptions } from './azure-client.js';
import { AzureFile, AzureOutputStream, type AzureResumableOutputStream } from './azure-file.js';
import { listBlobs, listContainers } from './azure-listing.js';
import { blockUpload, MAX_BLOCK_SIZE } from './azure-upload.js';
import { copyChecked } from './azure-copy.js';
import { createBlobDir, createContainer } from './azure-create-dir.js';
import { openResumable, resumeResumable } from './azure-resumable.js';
import { STORE_IDENTITY, storeIdentity, VERIFY_PARTS, type VerifiedResumeOptions } from '../uploads/resume-hooks.js';

/** How {@link AzureFileSystem} uploads and lists, besides the account and its credential. */
export interface AzureTransferOptions extends Omit<RemoteReadOptions, 'retry' | 'signal'> {
  /** Bytes per staged block of uploads (a blob has at most 50,000 blocks). Default 8 MiB. */
  blockSize?: number;
  /** Blocks of one upload sent at once; memory is about `(this + 1) × blockSize`. Default 4. */
  uploadConcurrency?: number;
  /** Entries per listing request (1 to 5000, the service's default). */
  listPageSize?: number;
}

/** Options of {@link AzureFileSystem}: the account, at most one credential, and how it transfers. */
export type AzureFileSystemOptions = AzureClientOptions & AzureTransferOptions;

/**
 * Azure Blob Storage as a filesystem. Requests are authorized with Shared Key (an account
 * key), a SAS token, or the caller's signer, retried with backoff, and reads coalesced as
 * `HttpFile` does. Writes stage blocks and commit them on `close()`, resumable ones too. The
 * namespace is flat, as in pyarrow: a directory is a prefix of blob names, or an empty `dir/` marker blob where
 * a directory must exist empty (`createDir`, and after deleting a directory's last file).
 */
export class AzureFileSystem implements ResumableFileSystem {
  /** `'abfs'`, as pyarrow's `AzureFileSystem.type_name`. */
  readonly typeName = 'abfs';
  readonly #client: AzureClient;
  readonly #readOptions: RemoteReadOptions;
  readonly #blockSize: number;
  readonly #uploadConcurrency: number;
  readonly #pageSize: number | undefined;
  /** @internal The account's Blob service, for keeping `resumableUpload`'s records of two accounts apart. */
  readonly [STORE_IDENTITY]: string;

  /** @param options the account and how to authorize. */
  constructor(options: AzureFileSystemOptions) {
    this.#client = new AzureClient(options);
    this[STORE_IDENTITY] = storeIdentity('azure', options.endpoint ?? `https://${options.accountName}.blob.core.windows.net`);
    const { readAhead, concurrency, holeSizeLimit, rangeSizeLimit } = options;
    this.#readOptions = { readAhead, concurrency, holeSizeLimit, rangeSizeLimit, retry: this.#client.retry };
    this.#blockSize = checkPositiveSize(options.blockSize ?? 8 * 1024 * 1024, 'blockSize');
    if (this.#blockSize > MAX_BLOCK_SIZE)
      throw new RangeError(`blockSize must be at most 4000 MiB (${MAX_BLOCK_SIZE}), got ${this.#blockSize}`);
    this.#uploadConcurrency = checkPositiveSize(options.uploadConcurrency ?? 4, 'uploadConcurrency');
    if (options.listPageSize !== undefined) {
      this.#pageSize = checkPositiveSize(options.listPageSize, 'listPageSize');
      if (this.#pageSize > 5000) throw new RangeError(`listPageSize must be at most 5000, got ${this.#pageSize}`);
    }
  }

  /** Opens a blob for random-access reading (one HEAD for its size and ETag). */
  async openInputFile(path: string): Promise<AzureFile> {
    const { container, blob } = needBlob(path);
    const stat = await this.#stat(container, blob);
    if (stat.kind === 'directory') throw new IOError(`is a directory: ${container}/${blob}`, { code: 'EISDIR' });
    if (stat.kind === 'missing') throw new FileNotFoundError(`no such blob: ${container}/${blob}`);
    if (stat.size === undefined) {
      throw new IOError(
        `Azure answered HEAD of ${container}/${blob} without a Content-Length (in a browser: do the account's CORS rules expose it? see docs/cors.md)`,
        { code: 'EPROTO' },
      );
    }
    const etag = stat.etag === '' ? undefined : stat.etag;
    const underlying = remoteReader(this.#client.transport(container, blob, etag), stat.size, this.#readOptions);
    return new AzureFile(underlying, `${container}/${blob}`, stat.size, etag);
  }

  /** Opens a blob for reading; the same as {@link AzureFileSystem.openInputFile}. */
  async openInputStream(path: string): Promise<AzureFile> {
    return this.openInputFile(path);
  }

  /**
   * Opens a blob for writing: blocks are staged as they fill and the blob appears (or is
   * replaced) on `close()`; `{ resumable: true }` has a resume token at once (`azure-resumable.ts`).
   */
  openOutputStream(path: string, options: OutputStreamOptions & { resumable: true }): Promise<AzureResumableOutputStream>;
  openOutputStream(path: string, options?: OutputStreamOptions): Promise<AzureOutputStream>;
  async openOutputStream(path: string, options?: OutputStreamOptions): Promise<AzureOutputStream> {
    const { container, blob } = needBlob(path);
    this.#throwIfNotWritable(await this.#stat(container, blob), container, blob);
    if (options?.resumable === true) return openResumable(this.#client, container, blob, this.#uploadOptions(options));
    return new AzureOutputStream(blockUpload(this.#client, container, blob, this.#uploadOptions()), `${container}/${blob}`);
  }

  /**
   * Reopens a resumable upload from its token, at `tell()` = the bytes of its first blocks
   * without a gap, and whole, that Azure holds uncommitted (Get Block List).
   * @throws TypeError for a token that is not one; RangeError for one of another path;
   * FileNotFoundError when the upload is gone: Azure holds none of its blocks uncommitted (it
   * completed or was aborted, another writer committed the blob, or a week passed).
   */
  async resumeOutputStream(
    path: string,
    token: string,
    options: ResumableStreamOptions = {},
  ): Promise<AzureResumableOutputStream> {
    const { container, blob } = needBlob(path);
    const verify = (options as VerifiedResumeOptions)[VERIFY_PARTS];
    const upload = { ...this.#uploadOptions(options), ...(verify === undefined ? {} : { [VERIFY_PARTS]: verify }) };
    return resumeResumable(this.#client, container, blob, token, upload);
  }

  /**
   * Opens a blob for appending, creating it (on `close()`) if missing. Appends to a block
   * blob are committed on `close()` too, on the condition that the blob did not change
   * meanwhile (else `ESTALE`); appends to an Append Blob are visible block by block.
   */
  async openAppendStream(path: string): Promise<AzureOutputStream> {
    const { container, blob } = needBlob(path);
    const stat = await this.#stat(container, blob);
    this.#throwIfNotWritable(stat, container, blob);
    if (stat.kind !== 'file') {
      return new AzureOutputStream(blockUpload(this.#client, container, blob, this.#uploadOptions()), `${container}/${blob}`, 0);
    }
    const existing = { size: stat.size ?? 0, etag: stat.etag, type: stat.type };
    const underlying = await appendTo(this.#client, container, blob, existing, {
      blockSize: this.#blockSize,
      maxInFlight: this.#uploadConcurrency,
    });
    return new AzureOutputStream(underlying, `${container}/${blob}`, existing.size);
  }

  /** A container or a prefix is a directory, a blob a file; `''` is the account. */
  async getFileInfo(path: string): Promise<FileInfo> {
    const { container, blob } = split(path);
    if (container === '') return { path: '', type: 'directory' };
    if (blob === '') {
      const head = await this.#client.request({
        method: 'HEAD',
        container,
        query: { restype: 'container' },
        accept: (s) => s === 404,
      });
      const modified = head.headers.get('last-modified');
      if (head.status === 404) return { path: container, type: 'not-found' };
      return { path: container, type: 'directory', ...(modified === null ? {} : { mtime: new Date(modified) }) };
    }
    const stat = await this.#stat(container, blob);
    const clean = `${container}/${blob}`;
    if (stat.kind !== 'file') return { path: clean, type: stat.kind === 'directory' ? 'directory' : 'not-found' };
    return {
      path: clean,
      type: 'file',
      ...(stat.size === undefined ? {} : { size: stat.size }),
      ...(stat.mtime === undefined ? {} : { mtime: stat.mtime }),
    };
  }

  /** The entries of a directory (the whole tree with `recursive`); `''` lists the containers. */
  async listDir(path: string, options: ListDirOptions = {}): Promise<FileInfo[]> {
    const recursive = recursiveOption(options, false);
    const { container, blob } = split(path);
    const pageSize = this.#pageSize;
    if (container === '') {
      const containers = await listContainers(this.#client, pageSize);
      if (!recursive) return containers;
      const trees = await Promise.all(containers.map((c) => listBlobs(this.#client, c.path, '', { recursive, pageSize })));
      return [...containers, ...trees.flat()];
    }
    const infos = await listBlobs(this.#client, container, blob === '' ? '' : `${blob}/`, { recursive, pageSize });
    if (infos.length === 0 && blob !== '') {
      const stat = await this.#stat(container, blob);
      if (stat.kind === 'missing') throw new FileNotFoundError(`no such directory: ${container}/${blob}`);
      if (stat.kind === 'file') throw new IOError(`not a directory: ${container}/${blob}`, { code: 'ENOTDIR' });
    }
    return infos;
  }

  /**
   * Creates a container (`container`) or a directory: an empty `dir/` marker blob for each
   * missing level, as pyarrow does. Without `recursive` the parent must exist.
   */
  async createDir(path: string, options: CreateDirOptions = {}): Promise<void> {
    const recursive = recursiveOption(options, true);
    const { container, blob } = split(path);
    if (container === '') throw new IOError('cannot create the root of an Azure account', { code: 'EEXIST' });
    if (blob === '') await createContainer(this.#client, container);
    else await createBlobDir(this.#client, container, blob, recursive);
  }

  /** Deletes a blob (not a directory); its directory stays, as a marker if it has no other entry. */
  async deleteFile(path: string): Promise<void> {
    const { container, blob } = needBlob(path);
    const stat = await this.#stat(container, blob);
    if (stat.kind === 'missing') throw new FileNotFoundError(`no such file: ${container}/${blob}`);
    if (stat.kind === 'directory') throw new IOError(`is a directory: ${container}/${blob}`, { code: 'EISDIR' });
    await keepParent(this.#client, container, blob);
    await this.#client.request({ method: 'DELETE', container, blob, accept: (s) => s === 404 });
  }

  /** Deletes a directory and every blob below it, or a whole container. */
  async deleteDir(path: string): Promise<void> {
    const { container, blob } = split(path);
    if (container === '') throw new IOError('refusing to delete every container of the account', { code: 'EACCES' });
    if (blob === '') {
      await this.#client.request({ method: 'DELETE', container, query: { restype: 'container' } });
      return;
    }
    const stat = await this.#stat(container, blob);
    if (stat.kind === 'missing') throw new FileNotFoundError(`no such directory: ${container}/${blob}`);
    if (stat.kind === 'file') throw new IOError(`not a directory: ${container}/${blob}`, { code: 'ENOTDIR' });
    await keepParent(this.#client, container, blob);
    await deletePrefix(this.#client, container, `${blob}/`);
    // A folder blob (Data Lake, adlfs) named like the directory.
    await this.#client.request({ method: 'DELETE', container, blob, accept: (s) => s === 404 });
  }

  /** Deletes everything in a directory (or container), keeping the directory itself. */
  async deleteDirContents(path: string, options: DeleteDirContentsOptions = {}): Promise<void> {
    const { missingDirOk } = checkDeleteOptions(options);
    const { container, blob } = split(path);
    // As pyarrow: one call deleting every container of the account is too easy a mistake.
    if (container === '') {
      throw new UnsupportedOperationError(
        'Azure Blob Storage does not empty its root (every container): empty each container with deleteDirContents(container)',
      );
    }
    const info = await this.getFileInfo(path);
    if (info.type === 'not-found') {
      if (missingDirOk) return;
      throw new FileNotFoundError(`no such directory: ${info.path}`);
    }
    if (info.type === 'file') throw new IOError(`not a directory: ${info.path}`, { code: 'ENOTDIR' });
    if (blob === '') return deletePrefix(this.#client, container, '');
    await ensureMarker(this.#client, container, blob);
    await deletePrefix(this.#client, container, `${blob}/`, `${blob}/`);
  }

  /**
   * Moves a blob (Copy Blob, then Delete Blob), within the account. A flat namespace cannot
   * move a directory: that is `UnsupportedOperationError`.
   */
  async move(from: string, to: string): Promise<void> {
    const source = needBlob(from, 'from');
    needBlob(to, 'to'); // before any request
    const stat = await this.#stat(source.container, source.blob);
    if (stat.kind === 'missing') throw new FileNotFoundError(`no such file: ${source.container}/${source.blob}`);
    if (stat.kind === 'directory')
      throw new UnsupportedOperationError(`Azure Blob Storage cannot move directories (${source.container}/${source.blob})`);
    if (!(await copyChecked(this.#client, from, to, stat.etag))) return;
    await keepParent(this.#client, source.container, source.blob);
    await this.#client.request({ method: 'DELETE', ...source, headers: { 'if-match': stat.etag }, accept: (s) => s === 404 });
  }

  /**
   * Copies a blob on the server (Copy Blob): `copyFiles` between two paths of this
   * filesystem. An abort ends a copy Azure is still making (Abort Copy Blob).
   */
  async copyFile(from: string, to: string, options: CopyFileOptions = {}): Promise<void> {
    const source = needBlob(from, 'from');
    needBlob(to, 'to'); // before any request
    const stat = await this.#stat(source.container, source.blob);
    if (stat.kind === 'missing') throw new FileNotFoundError(`no such file: ${source.container}/${source.blob}`);
    if (stat.kind === 'directory') throw new IOError(`is a directory: ${source.container}/${source.blob}`, { code: 'EISDIR' });
    await copyChecked(this.#client, from, to, stat.etag, options.signal);
  }

  #stat(container: string, blob: string): Promise<BlobStat> {
    return statBlob(this.#client, container, blob);
  }

  #throwIfNotWritable(stat: BlobStat, container: string, blob: string): void {
    if (stat.kind === 'directory') throw new IOError(`is a directory: ${container}/${blob}`, { code: 'EISDIR' });
    if (stat.kind === 'missing' && stat.containerMissing) throw new FileNotFoundError(`no such container: ${container}`);
  }

  #uploadOptions({ onCheckpoint }: ResumableStreamOptions = {}) {
    return { partSize: this.#blockSize, maxInFlight: this.#uploadConcurrency, ...(onCheckpoint && { onCheckpoint }) };
  }
}
