/**
 * The error classes of nativefile. Every failure of an I/O operation is an {@link IOError}
 * (or one of its subclasses); wrong argument types are built-in `TypeError`s and
 * out-of-range numbers built-in `RangeError`s.
 * @module
 */

/** Options accepted by every nativefile error constructor. */
export interface IOErrorOptions {
  /** A machine-readable code, such as `'ENOENT'`. */
  code?: string;
  /** The error that caused this one. */
  cause?: unknown;
}

/** An input/output operation failed. `code` tells which kind of failure it was. */
export class IOError extends Error {
  /** The class's name, spelled out rather than taken from `constructor.name`, which minifiers rename. */
  override name = 'IOError';
  /** A machine-readable code: POSIX-like (`'ENOENT'`, `'ENOMEM'`, ...) or nativefile's own. */
  readonly code: string;

  constructor(message: string, options: IOErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'EIO';
  }
}

/** The file or stream was used after it was closed. */
export class ClosedFileError extends IOError {
  /** `'ClosedFileError'`, also after minification. */
  override name = 'ClosedFileError';

  constructor(message = 'I/O operation on closed file', options: IOErrorOptions = {}) {
    super(message, { code: 'ECLOSED', ...options });
  }
}

/** The operation is not supported by this file: reading a write-only file, seeking a stream... */
export class UnsupportedOperationError extends IOError {
  /** `'UnsupportedOperationError'`, also after minification. */
  override name = 'UnsupportedOperationError';

  constructor(message: string, options: IOErrorOptions = {}) {
    super(message, { code: 'EUNSUPPORTED', ...options });
  }
}

/** The named file does not exist. `code` is always `'ENOENT'`. */
export class FileNotFoundError extends IOError {
  /** `'FileNotFoundError'`, also after minification. */
  override name = 'FileNotFoundError';

  constructor(message: string, options: Omit<IOErrorOptions, 'code'> = {}) {
    super(message, { ...options, code: 'ENOENT' });
  }
}

/** A memory pool or storage quota could not satisfy a request. */
export class OutOfMemoryError extends IOError {
  /** `'OutOfMemoryError'`, also after minification. */
  override name = 'OutOfMemoryError';

  constructor(message: string, options: IOErrorOptions = {}) {
    super(message, { code: 'ENOMEM', ...options });
  }
}
