import { describe } from '../../util/validate.js';
import { NativeFile } from './native-file.js';

/**
 * Checks that `file` is an open {@link NativeFile} that can do `capability`; returns it.
 * @throws TypeError naming the argument and what it got.
 */
export function checkFile(file: unknown, name: string, capability: 'readable' | 'writable'): NativeFile {
  if (!(file instanceof NativeFile)) throw new TypeError(`${name} must be a NativeFile, got ${describe(file)}`);
  if (!file[capability]()) throw new TypeError(`${name} must be ${capability}, got one in mode '${file.mode}'`);
  return file;
}
