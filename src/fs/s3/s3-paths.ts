/**
 * S3 paths (`bucket/key`, either may be empty) checked and split, and what a HEAD says of an
 * object's length.
 * @module
 */
import { IOError } from '../../errors.js';
import { splitTop } from '../paths.js';

/**
 * The length a HEAD reports; `undefined` when the header is not visible (a browser hides it
 * when CORS does not expose it), which must not pass for an empty object.
 */
export function contentLength(head: Response): number | undefined {
  const value = head.headers.get('content-length');
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Splits `bucket/key` (either may be empty). */
export function split(path: string): { bucket: string; key: string } {
  const [bucket, key] = splitTop(path);
  return { bucket, key };
}

export function needKey(path: string): { bucket: string; key: string } {
  const parts = split(path);
  if (parts.bucket === '' || parts.key === '')
    throw new IOError(`${path} names a bucket, not an object (paths are bucket/key)`, { code: 'EISDIR' });
  return parts;
}
