/**
 * What the core checks of a backend's answers. The backend contract is public (custom
 * backends through `fileClass`), and a backend that answers a read with something other
 * than a byte count would otherwise send the core's loops spinning forever. Each check is a
 * comparison or two on the hot path; a broken answer is a `TypeError` naming the file class
 * and the method, never a hang.
 * @module
 */
import { Buffer } from '../../memory/buffer.js';
import { describe } from '../../util/validate.js';
import type { UnderlyingFile } from './underlying.js';

/** The file class of each backend, for messages (registered when a file is made). */
const kinds = new WeakMap<object, string>();

/** Remembers that `backend` serves files of class `kind`. */
export function nameBackend(backend: UnderlyingFile, kind: string): void {
  kinds.set(backend, kind);
}

function broken(backend: UnderlyingFile, method: string, got: unknown, expected: string): TypeError {
  return new TypeError(
    `the backend of ${kinds.get(backend) ?? 'a file'} broke its contract: ${method} returned ${describe(got)}, expected ${expected}`,
  );
}

/** `got`, a read's byte count: a safe integer from 0 to `max`. */
export function countAnswer(backend: UnderlyingFile, method: 'read' | 'readAt', got: unknown, max: number): number {
  if (typeof got === 'number' && Number.isSafeInteger(got) && got >= 0 && got <= max) return got;
  throw broken(backend, method, got, `a byte count from 0 to ${max}`);
}

/** `got`, a size: a non-negative safe integer. */
export function sizeAnswer(backend: UnderlyingFile, got: unknown): number {
  if (typeof got === 'number' && Number.isSafeInteger(got) && got >= 0) return got;
  throw broken(backend, 'size', got, 'a size in bytes (a non-negative safe integer)');
}

/** `got`, fresh bytes: a `Uint8Array` of at most `max` bytes. */
export function freshAnswer(backend: UnderlyingFile, got: unknown, max: number): Uint8Array {
  if (got instanceof Uint8Array && got.byteLength <= max) return got;
  throw broken(backend, 'readFresh', got, `a Uint8Array of at most ${max} bytes`);
}

/** `got`, a slice: a {@link Buffer} of exactly `count` bytes, or `undefined` to decline. */
export function sliceAnswer(backend: UnderlyingFile, got: unknown, count: number): Buffer | undefined {
  if (got === undefined || (got instanceof Buffer && got.size === count)) return got;
  throw broken(backend, 'sliceAt', got, `a Buffer of ${count} bytes, or undefined`);
}

/** `got`, the answer to `readRanges`: one `Uint8Array` per range. */
export function rangesAnswer(backend: UnderlyingFile, got: unknown, count: number): Uint8Array[] {
  if (Array.isArray(got) && got.length === count && got.every((bytes) => bytes instanceof Uint8Array)) return got;
  throw broken(backend, 'readRanges', got, `an array of ${count} Uint8Arrays`);
}
