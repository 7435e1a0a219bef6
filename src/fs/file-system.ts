/**
 * The filesystem interface, as `pyarrow.fs.FileSystem` has it: files are opened by path
 * and their metadata read as {@link FileInfo}. Every method is asynchronous, since most
 * stores are remote.
 * @module
 */
import type { AnyInputStream, AnyOutputStream, AnyRandomAccessFile } from '../io/core/interfaces.js';

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
  openOutputStream(path: string): Promise<AnyOutputStream>;
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
  /** Moves (renames) a file or directory. */
  move(from: string, to: string): Promise<void>;
}
