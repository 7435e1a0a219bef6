/**
 * Errors across the page/worker boundary: the worker sends {@link WireError} data and the page
 * rebuilds the same nativefile class with the same `code` (structured clone keeps neither).
 * @module
 */
import { ClosedFileError, FileNotFoundError, IOError, OutOfMemoryError, UnsupportedOperationError } from '../errors.js';
import type { WireError } from './protocol.js';

type ErrorClass = new (message: string, options: { code?: string }) => Error;

const classes: Record<string, ErrorClass> = {
  IOError,
  ClosedFileError,
  UnsupportedOperationError,
  OutOfMemoryError,
  TypeError,
  RangeError,
  // Its code is always ENOENT, so it ignores the one passed.
  FileNotFoundError: FileNotFoundError as ErrorClass,
};

/** `error` as data that survives `postMessage`. */
export function toWire(error: unknown): WireError {
  const { name, message, code } = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : String(error),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/** The error `wire` describes, as an instance of its nativefile (or built-in) class. */
export function fromWire(wire: WireError): Error {
  // Own names only: a name such as 'toString' or 'constructor' is not a class of ours.
  const Class = Object.hasOwn(classes, wire.name) ? classes[wire.name] : undefined;
  if (Class !== undefined) return new Class(wire.message, { code: wire.code });
  // An error nativefile does not know (a DOMException the worker did not map): keep its name.
  return new IOError(`${wire.name}: ${wire.message}`, { code: wire.code ?? 'EIO' });
}
