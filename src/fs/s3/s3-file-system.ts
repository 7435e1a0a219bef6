/**
 * {@link S3FileSystem}: Amazon S3 and compatible stores (MinIO, Ceph, R2 …) as a
 * {@link FileSystem}, with paths `bucket/key` as in pyarrow's `S3FileSystem`.
 * @module
 */
import { FileNotFoundError, IOError, UnsupportedOperationError } from '../../errors.js';
import { remoteReader, type RemoteReadOptions } from '../../remote/remote-reader.js';
import { checkPositiveSize, checkSize } from '../../util/validate.js';
import { checkDeleteOptions } from '../dir-contents.js';
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
import { decodeResumeToken } from '../uploads/resume-token.js';
import { recursiveOption } from '../options.js';
import { checkRemotePath, parentPath } from '../paths.js';
import { contentLength, needKey, split } from './s3-paths.js';
import { S3Client, type S3ClientOptions } from './s3-client.js';
import { S3File, S3OutputStream, S3ResumableOutputStream } from './s3-file.js';
import { hidesDirectory, listBuckets, listObjects, statPath } from './s3-listing.js';
import { copyObject, createBucket, deleteKeys, hasMarker, keepParent, putMarker, type ObjectPath } from './s3-objects.js';
import { Multipart, resumedParts } from './s3-multipart.js';
import { STORE_IDENTITY, storeIdentity } from '../uploads/resume-hooks.js';
import { checkPartSize, s3Upload } from './s3-upload.js';

/** Options of {@link S3FileSystem}. */
export interface S3FileSystemOptions extends S3ClientOptions, Omit<RemoteReadOptions, 'retry' | 'signal'> {
  /** Bytes per part of multipart uploads: at least 5 MiB (S3's minimum). Default 8 MiB. */
  partSize?: number;
  /** Parts of one upload sent at once; memory is about `(this + 1) × partSize`. Default 4. */
  uploadConcurrency?: number;
}

/**
 * Amazon S3 as a filesystem. Requests are signed with SigV4 (`aws4fetch`), retried with
 * backoff, and reads coalesced as `HttpFile` does. S3 has no directories: a directory is a
 * common key prefix, and `createDir` writes an empty `dir/` marker as pyarrow does.
 */
export class S3FileSystem implements ResumableFileSystem {
  /** `'s3'`. */
  readonly typeName = 's3';
  readonly #client: S3Client;
  readonly #readOptions: RemoteReadOptions;
  readonly #partSize: number;
  readonly #uploadConcurrency: number;
  /** @internal The endpoint, for keeping `resumableUpload`'s records of two stores apart. */
  readonly [STORE_IDENTITY]: string;

  /** @param options where the store is and how to sign for it. */
  constructor(options: S3FileSystemOptions) {
    this.#client = new S3Client(options);
    this[STORE_IDENTITY] = storeIdentity('s3', options.endpoint ?? `https://s3.${options.region}.amazonaws.com`);
    const { readAhead, concurrency, holeSizeLimit, rangeSizeLimit } = options;
    this.#readOptions = { readAhead, concurrency, holeSizeLimit, rangeSizeLimit, retry: this.#client.retry };
    this.#partSize = checkPartSize(checkSize(options.partSize ?? 8 * 1024 * 1024, 'partSize'), 'partSize');
    this.#uploadConcurrency = checkPositiveSize(options.uploadConcurrency ?? 4, 'uploadConcurrency');
  }

  /** Opens an object for random-access reading (one HEAD for its size and ETag). */
  async openInputFile(path: string): Promise<S3File> {
    const { bucket, key } = needKey(path);
    const head = await this.#client.request({ method: 'HEAD', bucket, key }).catch(async (error: unknown) => {
      if (error instanceof FileNotFoundError && (await this.getFileInfo(path)).type === 'directory')
        throw new IOError(`is a directory: ${bucket}/${key}`, { code: 'EISDIR' });
      throw error;
    });
    const size = contentLength(head);
    if (size === undefined) {
      throw new IOError(
        `S3 answered HEAD of ${bucket}/${key} without a Content-Length (in a browser: does the bucket's CORS configuration expose it? see docs/cors.md)`,
        { code: 'EPROTO' },
      );
    }
    const etag = head.headers.get('etag') ?? undefined;
    const underlying = remoteReader(this.#client.transport(bucket, key, etag), size, this.#readOptions);
    return new S3File(underlying, `${bucket}/${key}`, size);
  }

  /** Opens an object for reading; the same as {@link S3FileSystem.openInputFile}. */
  async openInputStream(path: string): Promise<S3File> {
    return this.openInputFile(path);
  }

  /**
   * Starts a multipart upload: the object appears when the stream closes, not before. A
   * directory at `path` is refused (`EISDIR`) as on a disk, where S3 alone would write an
   * object that hides it. An ordinary upload then sends nothing until its first part is full;
   * a resumable one (`{ resumable: true }`) starts now, to have a resume token at once.
   */
  openOutputStream(path: string, options: OutputStreamOptions & { resumable: true }): Promise<S3ResumableOutputStream>;
  openOutputStream(path: string, options?: OutputStreamOptions): Promise<S3OutputStream>;
  async openOutputStream(path: string, options: OutputStreamOptions = {}): Promise<S3OutputStream> {
    const { bucket, key } = needKey(path);
    if (await hidesDirectory(this.#client, bucket, key))
      throw new IOError(`is a directory: ${bucket}/${key}`, { code: 'EISDIR' });
    const multipart = new Multipart(this.#client, bucket, key);
    if (options.resumable !== true) return this.#stream(S3OutputStream, multipart, options, undefined);
    return this.#stream(S3ResumableOutputStream, multipart, options, { uploadId: await multipart.create(undefined), parts: [] });
  }

  /**
   * Reopens a resumable upload from its token, at `tell()` = the bytes of the first parts S3
   * holds (ListParts) without a gap and whole, those a check accepts if given (`resumedParts`).
   * @throws TypeError for a token that is not one; RangeError for one of another path; FileNotFoundError when the upload is gone.
   */
  async resumeOutputStream(path: string, token: string, options: ResumableStreamOptions = {}): Promise<S3ResumableOutputStream> {
    const { bucket, key } = needKey(path);
    const { uploadId, partSize } = decodeResumeToken(token, 's3', `${bucket}/${key}`);
    checkPartSize(partSize, "the resume token's part size");
    const multipart = new Multipart(this.#client, bucket, key);
    const parts = await resumedParts(multipart, uploadId, partSize, options);
    return this.#stream(S3ResumableOutputStream, multipart, options, { uploadId, parts }, partSize);
  }

  #stream<T extends S3OutputStream>(
    Stream: new (...args: ConstructorParameters<typeof S3OutputStream>) => T,
    multipart: Multipart,
    options: ResumableStreamOptions,
    resumable: { uploadId: string; parts: string[] } | undefined,
    partSize = this.#partSize,
  ): T {
    const { underlying, control } = s3Upload(multipart, {
      partSize,
      maxInFlight: this.#uploadConcurrency,
      ...(resumable === undefined ? {} : { resumable }),
      ...(options.onCheckpoint === undefined ? {} : { onCheckpoint: options.onCheckpoint }),
    });
    const position = (resumable?.parts.length ?? 0) * partSize;
    return new Stream(underlying, `${multipart.bucket}/${multipart.key}`, control, position);
  }

  /** S3 objects cannot be appended to. */
  openAppendStream(path: string): Promise<never> {
    return Promise.resolve().then(() => {
      throw new UnsupportedOperationError(`S3 objects cannot be appended to (${checkRemotePath(path)})`);
    });
  }

  /** A bucket or a common prefix is a directory, an object a file. */
  async getFileInfo(path: string): Promise<FileInfo> {
    const { bucket, key } = split(path);
    return statPath(this.#client, bucket, key);
  }

  /**
   * The entries of a directory (all objects and prefixes below it with `recursive`); `''`
   * lists the buckets (and, with `recursive`, everything in each, as pyarrow does).
   */
  async listDir(path: string, options?: ListDirOptions): Promise<FileInfo[]> {
    const recursive = recursiveOption(options, false);
    const { bucket, key } = split(path);
    if (bucket === '') {
      const buckets = await listBuckets(this.#client);
      if (!recursive) return buckets;
      const trees = await Promise.all(buckets.map((each) => listObjects(this.#client, each.path, '', { recursive })));
      return [...buckets, ...trees.flat()];
    }
    const infos = await listObjects(this.#client, bucket, key === '' ? '' : `${key}/`, { recursive });
    if (infos.length === 0 && key !== '') {
      const info = await this.getFileInfo(path);
      if (info.type === 'not-found') throw new FileNotFoundError(`no such directory: ${path}`);
      if (info.type === 'file') throw new IOError(`not a directory: ${path}`, { code: 'ENOTDIR' });
    }
    return infos;
  }

  /**
   * Creates a bucket (`bucket`) or an empty `key/` marker object (`bucket/key`). Without
   * `recursive` the parent must exist, as in pyarrow; a file at `path` is `EEXIST`.
   */
  async createDir(path: string, options?: CreateDirOptions): Promise<void> {
    const recursive = recursiveOption(options, true);
    const { bucket, key } = split(path);
    if (bucket === '') throw new IOError('cannot create the root of S3', { code: 'EEXIST' });
    if (key === '') return createBucket(this.#client, bucket);
    const info = await this.getFileInfo(path);
    if (info.type === 'file') throw new IOError(`a file is at ${path}`, { code: 'EEXIST' });
    if (info.type === 'directory') return;
    if (!recursive) {
      const parent = parentPath(key);
      const above = await this.getFileInfo(parent === '' ? bucket : `${bucket}/${parent}`);
      if (above.type === 'not-found') throw new FileNotFoundError(`the parent of ${path} does not exist`);
      if (above.type === 'file') throw new IOError(`the parent of ${path} is a file`, { code: 'ENOTDIR' });
    }
    await putMarker(this.#client, bucket, key);
  }

  /** Deletes an object; its directory stays (a `dir/` marker is written if it had none). */
  async deleteFile(path: string): Promise<void> {
    const { bucket, key } = needKey(path);
    const info = await this.getFileInfo(path);
    if (info.type === 'not-found') throw new FileNotFoundError(`no such file: ${path}`);
    if (info.type === 'directory') throw new IOError(`is a directory: ${path}`, { code: 'EISDIR' });
    await keepParent(this.#client, bucket, key);
    await this.#client.request({ method: 'DELETE', bucket, key });
  }

  /**
   * Deletes every object below the prefix (and the bucket itself for a bucket path); the
   * directory holding it stays (a `dir/` marker is written if it had none).
   */
  async deleteDir(path: string): Promise<void> {
    const { bucket, key } = split(path);
    if (bucket === '') throw new IOError('cannot delete the root of S3', { code: 'EACCES' });
    const info = await this.getFileInfo(path);
    if (info.type === 'not-found') throw new FileNotFoundError(`no such directory: ${path}`);
    if (info.type === 'file') throw new IOError(`not a directory: ${path}`, { code: 'ENOTDIR' });
    const keys = await this.#keysBelow(bucket, key);
    if (key !== '') {
      keys.push(`${key}/`);
      await keepParent(this.#client, bucket, key);
    }
    await deleteKeys(this.#client, bucket, keys);
    if (key === '') await this.#client.request({ method: 'DELETE', bucket });
  }

  /** Deletes every object below a directory, keeping it (its marker is written if it had none). */
  async deleteDirContents(path: string, options: DeleteDirContentsOptions = {}): Promise<void> {
    const { bucket, key } = split(path);
    const { missingDirOk } = checkDeleteOptions(options);
    // As pyarrow: one call emptying every bucket of the account is too easy a mistake.
    if (bucket === '')
      throw new UnsupportedOperationError(
        'S3 does not empty its root (every bucket): empty each bucket with deleteDirContents(bucket)',
      );
    const info = await this.getFileInfo(path);
    if (info.type === 'not-found') {
      if (missingDirOk) return;
      throw new FileNotFoundError(`no such directory: ${path}`);
    }
    if (info.type === 'file') throw new IOError(`not a directory: ${path}`, { code: 'ENOTDIR' });
    if (key !== '' && !(await hasMarker(this.#client, bucket, key))) await putMarker(this.#client, bucket, key);
    await deleteKeys(this.#client, bucket, await this.#keysBelow(bucket, key));
  }

  /**
   * Moves an object (CopyObject then DeleteObject); S3 cannot move directories. A move onto
   * itself does nothing, as in pyarrow (S3 refuses to copy an object onto itself). As on a
   * disk, a directory at `to` (an `EISDIR` {@link IOError}) or a file above it (`ENOTDIR`)
   * refuses the move, where S3 alone would write an object that hides or sits below it.
   */
  async move(from: string, to: string): Promise<void> {
    const source = needKey(from);
    const target = needKey(to);
    if (source.bucket === target.bucket && source.key === target.key) return;
    const info = await this.#copyable(from, to, target);
    if (info.type === 'directory') throw new UnsupportedOperationError(`S3 cannot move directories (${from})`);
    await copyObject(this.#client, source, target);
    await keepParent(this.#client, source.bucket, source.key);
    await this.#client.request({ method: 'DELETE', ...source });
  }

  /**
   * Copies an object on the server (CopyObject): `copyFiles` between two paths of this
   * filesystem. An abort stops waiting for S3's answer; the copy may still complete there.
   */
  async copyFile(from: string, to: string, options: CopyFileOptions = {}): Promise<void> {
    const source = needKey(from);
    const target = needKey(to);
    const info = await this.#copyable(from, to, target);
    if (info.type === 'directory') throw new IOError(`is a directory: ${from}`, { code: 'EISDIR' });
    if (source.bucket === target.bucket && source.key === target.key) return;
    await copyObject(this.#client, source, target, options.signal);
  }

  /**
   * The info of `from`, which exists, once `to` is checked to be no directory and below no
   * file: S3 alone would write an object that hides the directory or sits below the file.
   */
  async #copyable(from: string, to: string, target: ObjectPath): Promise<FileInfo> {
    const above = parentPath(target.key);
    const [info, onTarget, parent] = await Promise.all([
      this.getFileInfo(from),
      this.getFileInfo(to),
      above === '' ? undefined : this.getFileInfo(`${target.bucket}/${above}`),
    ]);
    if (info.type === 'not-found') throw new FileNotFoundError(`no such file: ${from}`);
    if (onTarget.type === 'directory') throw new IOError(`cannot replace directory ${to} with a file`, { code: 'EISDIR' });
    if (parent?.type === 'file') throw new IOError(`not a directory: the parent of ${to}`, { code: 'ENOTDIR' });
    return info;
  }

  /** The keys of every object below directory `key` of `bucket` (its own marker not included). */
  async #keysBelow(bucket: string, key: string): Promise<string[]> {
    const entries = await listObjects(this.#client, bucket, key === '' ? '' : `${key}/`, { recursive: true });
    return entries.map((e) => (e.type === 'file' ? e.path : `${e.path}/`).slice(bucket.length + 1));
  }
}
