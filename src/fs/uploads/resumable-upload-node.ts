/**
 * {@link resumableUpload} as Node has it: tokens kept in a folder on the disk.
 * @module
 */
import { fstat } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { diskUploadStore } from './disk-upload-store.js';
import type { ResumableFileSystem } from '../file-system.js';
import type { ResumableUploadSource, SourceStamp } from './fingerprint.js';
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
 * What `fstat` tells of a source open on a file descriptor (`OSFile`): its modification time
 * and inode, so that a file edited or replaced since gets another fingerprint. Nothing for a
 * `Blob` (`fs.openAsBlob` keeps no path): the resume's check of the parts covers those.
 */
async function stampOf(source: ResumableUploadSource): Promise<SourceStamp> {
  let fd: unknown;
  try {
    fd = (source as { fd?: unknown }).fd;
  } catch {
    return {}; // closed: its reads fail the call
  }
  if (typeof fd !== 'number') return {};
  const stats = await promisify(fstat)(fd);
  return { lastModified: stats.mtimeMs, inode: stats.ino };
}

/**
 * Uploads a `Blob` (`fs.openAsBlob`) or a random-access file (`OSFile`) to `path` of `fs`
 * (`S3FileSystem`, `AzureFileSystem`) so that it survives a crash: called again with the same source after one,
 * it resumes, sending only the parts the store does not hold. The resume token is kept on
 * disk (`options.store`, default `nativefile-uploads-<uid>` under `os.tmpdir()`) until the upload
 * completes. `onProgress` counts bytes durable, those sent before a resume included. A resume
 * first checks the parts the store holds against the source (reading them back: MD5 for S3's
 * ETags, SHA-256 for Azure's blocks) and sends again from the first that differs. A second call
 * for the same source, path and store waits for the first (a lock file beside the token).
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
  return uploadResumably(fs, path, source, options, { open: diskUploadStore, defaultDir: defaultUploadDir(), stampOf });
}
