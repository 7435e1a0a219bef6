/**
 * What the core checks of a backend's answers. The backend contract is public (custom
 * backends through `fileClass`), and a backend answering a read with something other than a
 * byte count would send the core's read loops spinning forever. The check is a comparison or
 * two on the hot path; a broken answer is a `TypeError` naming the file class and the method,
 * never a hang.
 * @module
 */
import { describe } from '../../util/validate.js';
import type { UnderlyingFile } from './underlying.js';

/** The file class of each backend, for messages (registered when a file is made). */
const kinds = new WeakMap<object, string>();

/** Remembers that `backend` serves files of class `kind`. */
export function nameBackend(backend: UnderlyingFile, kind: string): void {
  kinds.set(backend, kind);
}

/** `got`, a byte count or size from `method`: a safe integer from 0 to `max`. */
export function countAnswer(backend: UnderlyingFile, method: string, got: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof got === 'number' && Number.isSafeInteger(got) && got >= 0 && got <= max) return got;
  throw new TypeError(`${kinds.get(backend) ?? 'a'} backend's ${method} returned ${describe(got)}, not a count up to ${max}`);
}
