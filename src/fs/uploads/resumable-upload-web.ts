/**
 * {@link resumableUpload} as pages and workers have it: tokens kept in OPFS.
 * @module
 */
import { opfsUploadStore } from './opfs-upload-store.js';
import type { FileSystem } from '../file-system.js';
import type { ResumableUploadSource } from './fingerprint.js';
import { uploadResumably, type ResumableUploadOptions, type ResumableUploadResult } from './resumable-upload.js';

/** Where pages keep upload tokens unless told: an OPFS folder. */
export const DEFAULT_UPLOAD_STORE = '.nativefile/uploads';

/**
 * Uploads a `Blob`/`File` (or a random-access file, such as an `OpfsFile`) to `path` of `fs`
 * (`S3FileSystem`, `AzureFileSystem`) so that it survives a reload or a crash: called again with the same file
 * after one, it resumes, sending only the parts the store does not hold. The resume token is
 * kept in OPFS (`options.store`, default `.nativefile/uploads`) until the upload completes.
 * `onProgress` counts bytes durable, those sent before a resume included.
 * @throws TypeError for a source or filesystem of the wrong kind; the store's errors.
 */
export function resumableUpload(
  fs: FileSystem,
  path: string,
  source: ResumableUploadSource,
  options: ResumableUploadOptions = {},
): Promise<ResumableUploadResult> {
  return uploadResumably(fs, path, source, options, { open: opfsUploadStore, defaultDir: DEFAULT_UPLOAD_STORE });
}
