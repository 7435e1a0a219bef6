/**
 * The checks the file core makes before any I/O: is the file open, can it do this, are the
 * arguments sound. Each failure names the file kind and the value.
 * @module
 */
import { ClosedFileError, UnsupportedOperationError } from '../../errors.js';
import { checkSize, describe } from '../../util/validate.js';
import type { FileMode } from '../../util/file-mode.js';
import type { LinesOptions } from './interfaces.js';
import type { ByteRange } from './underlying.js';

/** What an operation needs of a file. */
export type Need = 'open' | 'readable' | 'writable' | 'seekable' | 'readAt' | 'writeAt';

/** What the checks look at. */
export interface CheckedFile {
  readonly kind: string;
  readonly mode: FileMode;
  readonly seekable: boolean;
  readonly closed: boolean;
}

/**
 * @throws ClosedFileError once the file is closed.
 * @throws UnsupportedOperationError when the file cannot do what `need` says.
 */
export function checkCapability(file: CheckedFile, need: Need): void {
  const { kind, mode, seekable } = file;
  if (file.closed) throw new ClosedFileError(`I/O operation on closed ${kind}`);
  if (need === 'open') return;
  if ((need === 'readable' || need === 'readAt') && mode !== 'rb' && mode !== 'rb+') {
    throw new UnsupportedOperationError(`${kind} is not readable (mode '${mode}')`);
  }
  if ((need === 'writable' || need === 'writeAt') && mode === 'rb') {
    throw new UnsupportedOperationError(`${kind} is not writable (mode '${mode}')`);
  }
  if ((need === 'seekable' || need === 'readAt' || need === 'writeAt') && !seekable) {
    throw new UnsupportedOperationError(`${kind} is not seekable`);
  }
}

/** Validated copies of `ranges`. */
export function checkRanges(ranges: readonly ByteRange[]): ByteRange[] {
  if (!Array.isArray(ranges)) throw new TypeError(`ranges must be an array of {offset, length}, got ${describe(ranges)}`);
  return ranges.map((range: ByteRange | undefined, i) => ({
    offset: checkSize(range?.offset, `ranges[${i}].offset`),
    length: checkSize(range?.length, `ranges[${i}].length`),
  }));
}

/** The longest line `lines()` accepts. */
export function checkMaxLineLength(options: LinesOptions): number {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object, got ${describe(options)}`);
  return options.maxLineLength === undefined ? Infinity : checkSize(options.maxLineLength, 'options.maxLineLength');
}
