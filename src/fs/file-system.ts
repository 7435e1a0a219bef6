/**
 * The filesystem interface, as `pyarrow.fs.FileSystem` has it: files are opened by path
 * and their metadata read as {@link FileInfo}. Every method is asynchronous, since most
 * stores are remote.
 * @module
 */
import type { AnyInputStream, AnyOutputStream, AnyRandomAccessFile, Async, OutputStream } from '../io/core/interfaces.js';

/** What a path names. */
export type FileType = 'file' | 'directory' | 'not-found';

/** A path's metadata (pyarrow's `FileInfo`). */
export interface FileInfo {
  /** The path, in the filesystem's own form (`bucket/key` on S3, `/a/b` on HDFS). */
  readonly path: string;
  /** What the path names; `'not-found'` rather than an error from `getFileInfo`. */
  readonly type: FileType;
  /** Bytes in a file; absent for directories. */
  readonly size?: number;
  /** The last modification, when the store keeps one. */
  readonly mtime?: Date;
}

/** Options of {@link FileSystem.listDir}. */
export interface ListDirOptions {
  /** List the whole tree below the directory, not just its entries. Default `false`. */
  recursive?: boolean;
}

/** Options of {@link FileSystem.createDir}. */
export interface CreateDirOptions {
  /** Create missing parents too. Default `true`, as in pyarrow. */
  recursive?: boolean;
}

/** Options of {@link FileSystem.copyFile}. */
export interface CopyFileOptions {
  /** Stops waiting for the copy, which then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of {@link FileSystem.deleteDirContents}. */
export interface DeleteDirContentsOptions {
  /** Succeed, doing nothing, when the directory does not exist. Default `false`. */
  missingDirOk?: boolean;
  /**
   * Allow emptying the root of the filesystem (OPFS, HDFS). Default `false`: it is refused
   * (`EACCES`). The local disk, S3 and Azure refuse it either way
   * (`UnsupportedOperationError`), as pyarrow does: their root is the machine's, or every
   * bucket or container of the account.
   */
  acceptRootDir?: boolean;
}

/** A resumable upload's progress: its bytes durable, and the token to resume it from there. */
export interface UploadCheckpoint {
  /** The resume token as of now (see {@link ResumableOutputStream.resumeToken}). */
  readonly token: string;
  /** The bytes the store holds for good: the parts done from the first on, without a gap. */
  readonly bytesDurable: number;
}

/** Options of resumable output streams. */
export interface ResumableStreamOptions {
  /** Told each time the bytes durable grow, with the token to save (monotonic). */
  onCheckpoint?: (checkpoint: UploadCheckpoint) => void;
}

/** Options of {@link FileSystem.openOutputStream}. */
export interface OutputStreamOptions extends ResumableStreamOptions {
  /**
   * Make the upload resumable (S3's multipart uploads, Azure's staged blocks): it starts at open, survives
   * failures and {@link ResumableOutputStream.suspend}, and `resumeOutputStream` reopens it
   * from its token. Other stores reject it with `UnsupportedOperationError`. Default `false`.
   */
  resumable?: boolean;
}

/**
 * An output stream of a resumable upload: what was written is durable part by part, and the
 * upload can be reopened from {@link ResumableOutputStream.resumeToken} after a crash or a
 * reload, at `tell()` = {@link ResumableOutputStream.bytesDurable}.
 */
export interface ResumableOutputStream extends Async<OutputStream> {
  /**
   * A JSON string saying which upload this is and which parts are done (the upload id, the
   * part size, the parts' ETags or block ids, the bytes durable). Save it; `resumeOutputStream` takes it.
   */
  readonly resumeToken: string;
  /** The bytes the store holds for good: the parts done from the first on, without a gap. */
  readonly bytesDurable: number;
  /**
   * Stops the upload without completing or discarding it: parts in flight are cancelled,
   * the stream closes, and the upload stays on the store, to be resumed. Returns the token.
   */
  suspend(): Promise<string>;
}

/**
 * A filesystem (pyarrow's `FileSystem`). Paths never have a scheme; errors are nativefile's
 * (`FileNotFoundError` for a missing path, `IOError` with code `'EACCES'`, `'EEXIST'`,
 * `'ENOTDIR'`, `'EISDIR'` ...).
 */
export interface FileSystem {
  /** A short name of the implementation, such as `'s3'` or `'hdfs'`. */
  readonly typeName: string;
  /** Opens a file for random-access reading. */
  openInputFile(path: string): Promise<AnyRandomAccessFile>;
  /** Opens a file for sequential reading. */
  openInputStream(path: string): Promise<AnyInputStream>;
  /** Opens a file for writing, replacing it (when closed, for stores that commit on close). */
  openOutputStream(path: string, options?: OutputStreamOptions): Promise<AnyOutputStream>;
  /** Opens a file for appending. */
  openAppendStream(path: string): Promise<AnyOutputStream>;
  /** What `path` names; `type: 'not-found'` when nothing. */
  getFileInfo(path: string): Promise<FileInfo>;
  /** The entries of a directory (the whole tree with `recursive`). */
  listDir(path: string, options?: ListDirOptions): Promise<FileInfo[]>;
  /** Creates a directory. */
  createDir(path: string, options?: CreateDirOptions): Promise<void>;
  /** Deletes a file (not a directory). */
  deleteFile(path: string): Promise<void>;
  /** Deletes a directory and everything in it. */
  deleteDir(path: string): Promise<void>;
  /** Deletes everything in a directory, keeping the directory (pyarrow's `delete_dir_contents`). */
  deleteDirContents(path: string, options?: DeleteDirContentsOptions): Promise<void>;
  /** Moves (renames) a file or directory. */
  move(from: string, to: string): Promise<void>;
  /**
   * Copies a file within this filesystem on the store's side, without the bytes passing
   * through here (S3's CopyObject, Azure's Copy Blob), where the store can; `copyFiles` uses
   * it when both sides are this filesystem. An abort through `options.signal` rejects with
   * its reason (Azure aborts a copy still pending; an S3 copy may complete on the server).
   */
  copyFile?(from: string, to: string, options?: CopyFileOptions): Promise<void>;
}

/** A filesystem whose uploads can be resumed (S3's multipart uploads, Azure's staged blocks). */
export interface ResumableFileSystem extends FileSystem {
  /** Opens a resumable upload (see {@link OutputStreamOptions.resumable}). */
  openOutputStream(path: string, options: OutputStreamOptions & { resumable: true }): Promise<ResumableOutputStream>;
  /** Opens a file for writing, replacing it when closed. */
  openOutputStream(path: string, options?: OutputStreamOptions): Promise<AnyOutputStream>;
  /**
   * Reopens a resumable upload of `path` from its token, after a crash or a reload: checks
   * the parts on the store and starts at `tell()` = the bytes durable there.
   * @throws TypeError for a token that is not one (or is corrupted); RangeError for a token of
   * another path; FileNotFoundError when the upload is gone (completed or aborted; on Azure
   * also when its staged blocks were dropped: see `AzureFileSystem.resumeOutputStream`).
   */
  resumeOutputStream(path: string, token: string, options?: ResumableStreamOptions): Promise<ResumableOutputStream>;
}
