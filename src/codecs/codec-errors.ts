import { IOError } from '../errors.js';

/** Corrupt input: an `IOError` (`EINVAL`) naming the codec. */
export function corrupt(codec: string, cause?: unknown): IOError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new IOError(`${codec} data is corrupt${detail}`, { code: 'EINVAL', cause });
}

/** Input that ends inside a frame: an `IOError` (`EINVAL`) naming the codec. */
export function truncated(codec: string): IOError {
  return new IOError(`${codec} data is truncated (it ends inside a frame)`, { code: 'EINVAL' });
}

/** Output past its limit: an `IOError` (`E2BIG`) naming the codec and the limit. */
export function tooLarge(codec: string, limit: number, what = 'maxOutputBytes'): IOError {
  return new IOError(`${codec} data expands past ${what} (${limit} bytes)`, { code: 'E2BIG' });
}
