/**
 * {@link resumableUpload} as pages and workers have it: tokens kept in OPFS.
 * @module
 */
import { opfsUploadStore } from './opfs-upload-store.js';
import type { ResumableFileSystem } from '../file-system.js';
import type { ResumableUploadSource } from './fingerprint.js';
import { uploadResumably, type ResumableUploadOptions, type ResumableUploadResult } from './resumable-upload.js';

/** Where pages keep upload tokens unless told: an OPFS folder. */
export const DEFAULT_UPLOAD_STORE = '.nativefile/uploads';

/**
 * Uploads a `Blob`/`File` (or a random-access file, such as an `OpfsFile`) to `path` of `fs`
 * (`S3FileSystem`, `AzureFileSystem`) so that it survives a reload or a crash: called again with the same file
 * after one, it resumes, sending only the parts the store does not hold. The resume token is
 * kept in OPFS (`options.store`, default `.nativefile/uploads`) until the upload completes.
 * `onProgress` counts bytes durable, those sent before a resume included. A resume first
 * checks the parts the store holds against the file (reading them back: MD5 for S3's ETags,
 * SHA-256 for Azure's blocks) and sends again from the first that differs. A second call for
 * the same file, path and store waits for the first (a Web Lock), or for its own signal.
 * @throws TypeError for a source, filesystem or `options.store` of the wrong kind (`''` too);
 * IOError when the token cannot be saved as the upload opens (the upload is not kept); when a
 * later token could not be saved, a call that fails rejects with an IOError whose `cause` is
 * its failure (or the signal's reason) and `suppressed` the save's error; the store's errors.
 */
export function resumableUpload(
  fs: ResumableFileSystem,
  path: string,
  source: ResumableUploadSource,
  options: ResumableUploadOptions = {},
): Promise<ResumableUploadResult> {
  return uploadResumably(fs, path, source, options, { open: opfsUploadStore, defaultDir: DEFAULT_UPLOAD_STORE });
}
