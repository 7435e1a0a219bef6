/**
 * {@link resumableUpload} as Node has it: tokens kept in a folder on the disk.
 * @module
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskUploadStore } from './disk-upload-store.js';
import type { FileSystem } from '../file-system.js';
import type { ResumableUploadSource } from './fingerprint.js';
import { uploadResumably, type ResumableUploadOptions, type ResumableUploadResult } from './resumable-upload.js';

/**
 * The folder that keeps the tokens unless told: `nativefile-uploads-<uid>` under
 * `os.tmpdir()`, one per user, since the temporary folder is shared and a folder another
 * user made first is refused.
 */
export function defaultUploadDir(): string {
  const uid = process.getuid?.();
  return join(tmpdir(), uid === undefined ? 'nativefile-uploads' : `nativefile-uploads-${uid}`);
}

/**
 * Uploads a `Blob` (`fs.openAsBlob`) or a random-access file (`OSFile`) to `path` of `fs`
 * (`S3FileSystem`, `AzureFileSystem`) so that it survives a crash: called again with the same source after one,
 * it resumes, sending only the parts the store does not hold. The resume token is kept on
 * disk (`options.store`, default `nativefile-uploads-<uid>` under `os.tmpdir()`) until the upload
 * completes. `onProgress` counts bytes durable, those sent before a resume included.
 * @throws TypeError for a source or filesystem of the wrong kind; the store's errors.
 */
export function resumableUpload(
  fs: FileSystem,
  path: string,
  source: ResumableUploadSource,
  options: ResumableUploadOptions = {},
): Promise<ResumableUploadResult> {
  return uploadResumably(fs, path, source, options, { open: diskUploadStore, defaultDir: defaultUploadDir() });
}
