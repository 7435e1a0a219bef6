/**
 * Filesystems as `pyarrow.fs` has them: the interface, S3 and HDFS (WebHDFS). Re-exports only.
 * @module
 */
export type { FileSystem, FileInfo, FileType, ListDirOptions, CreateDirOptions } from './file-system.js';
export { S3FileSystem, MIN_PART_SIZE, type S3FileSystemOptions } from './s3/s3-file-system.js';
export type { S3Credentials, S3Signer } from './s3/s3-client.js';
export { S3File, S3OutputStream } from './s3/s3-file.js';
export { HadoopFileSystem, type HadoopFileSystemOptions } from './hadoop/hadoop-file-system.js';
export { HdfsFile, HdfsOutputStream } from './hadoop/hdfs-file.js';
export {
  OpfsFileSystem,
  type OpfsFileSystemOptions,
  type OpfsStorageEstimate,
  type PersistOptions,
} from './opfs/opfs-file-system.js';
