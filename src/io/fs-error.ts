import { FileNotFoundError, IOError } from '../errors.js';

/** Turns a Node `fs` error into a nativefile error that keeps its `code`; the path is given whole. */
export function fsError(error: unknown, path: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new FileNotFoundError(`no such file: ${JSON.stringify(path)}`, { cause: error });
  if (typeof code === 'string') return new IOError((error as Error).message, { code, cause: error });
  return error as Error;
}
