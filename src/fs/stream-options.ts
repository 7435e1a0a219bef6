/**
 * Checks of the options of `openOutputStream` shared by the filesystems.
 * @module
 */
import { UnsupportedOperationError } from '../errors.js';
import type { OutputStreamOptions } from './file-system.js';

/** Refuses `resumable: true` on a store without resumable uploads, saying which have them. */
export function refuseResumable(options: OutputStreamOptions | undefined, store: string, path: string): void {
  if (options?.resumable === true) {
    throw new UnsupportedOperationError(`${store} has no resumable uploads (${path}); S3FileSystem and AzureFileSystem have`);
  }
}
