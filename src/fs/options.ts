/**
 * Checks of the options every filesystem takes, written once.
 * @module
 */
import { UnsupportedOperationError } from '../errors.js';
import { describe } from '../util/validate.js';
import type { OutputStreamOptions } from './file-system.js';

/** Refuses `resumable: true` on a store without resumable uploads, saying which have them. */
export function refuseResumable(options: OutputStreamOptions | undefined, store: string, path: string): void {
  if (options?.resumable === true) {
    throw new UnsupportedOperationError(`${store} has no resumable uploads (${path}); S3FileSystem and AzureFileSystem have`);
  }
}

/**
 * Checks an options object of `listDir` or `createDir` and its `recursive` flag, returning
 * the flag (or `fallback` when it is not given).
 * @throws TypeError naming the option, for options not an object or a flag not a boolean.
 */
export function recursiveOption(options: unknown, fallback: boolean): boolean {
  if (options === undefined) return fallback;
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object, got ${describe(options)}`);
  const { recursive } = options as { recursive?: unknown };
  if (recursive === undefined) return fallback;
  if (typeof recursive !== 'boolean') throw new TypeError(`options.recursive must be a boolean, got ${describe(recursive)}`);
  return recursive;
}
