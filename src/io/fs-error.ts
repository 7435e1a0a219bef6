import { FileNotFoundError, IOError } from '../errors.js';
import { describe } from '../util/validate.js';

/** Turns a Node `fs` error into a nativefile error that keeps its `code`. */
export function fsError(error: unknown, path: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new FileNotFoundError(`no such file: ${describe(path)}`, { cause: error });
  if (typeof code === 'string') return new IOError((error as Error).message, { code, cause: error });
  return error as Error;
}
