/**
 * Filesystems as `pyarrow.fs` has them: the interface, S3, Azure Blob Storage and HDFS (WebHDFS). Re-exports only.
 * @module
 */
export type {
  FileSystem,
  FileInfo,
  FileType,
  ListDirOptions,
  CreateDirOptions,
  CopyFileOptions,
  DeleteDirContentsOptions,
  OutputStreamOptions,
  ResumableFileSystem,
  ResumableOutputStream,
  ResumableStreamOptions,
  UploadCheckpoint,
} from './file-system.js';
export { S3FileSystem, type S3FileSystemOptions } from './s3/s3-file-system.js';
export { MIN_PART_SIZE } from './s3/s3-upload.js';
export type { S3Credentials, S3Signer } from './s3/s3-client.js';
export { S3File, S3OutputStream, S3ResumableOutputStream } from './s3/s3-file.js';
export { HadoopFileSystem, type HadoopFileSystemOptions } from './hadoop/hadoop-file-system.js';
export { HdfsFile, HdfsOutputStream } from './hadoop/hdfs-file.js';
export {
  OpfsFileSystem,
  type OpfsFileSystemOptions,
  type OpfsStorageEstimate,
  type PersistOptions,
} from './opfs/opfs-file-system.js';
export { resumableUpload, DEFAULT_UPLOAD_STORE } from './uploads/resumable-upload-web.js';
export type { ResumableUploadOptions, ResumableUploadResult } from './uploads/resumable-upload.js';
export type { ResumableUploadSource, SourceFingerprint } from './uploads/fingerprint.js';
export { AzureFileSystem, type AzureFileSystemOptions, type AzureTransferOptions } from './azure/azure-file-system.js';
export { MAX_BLOCK_SIZE } from './azure/azure-upload.js';
export type {
  AzureAccountKey,
  AzureAccountOptions,
  AzureAnonymous,
  AzureClientOptions,
  AzureCredentialOptions,
  AzureSasToken,
  AzureSigner,
} from './azure/azure-client.js';
export { azureSharedKeySigner } from './azure/azure-shared-key.js';
export { AzureFile, AzureOutputStream, AzureResumableOutputStream } from './azure/azure-file.js';
export { copyFiles, type CopyFilesOptions, type CopyFilesResult } from './copy-files.js';
