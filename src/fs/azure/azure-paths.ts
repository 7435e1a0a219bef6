/**
 * Azure paths (`container/blob`, either may be empty) checked and split, and the checks of
 * boolean options.
 * @module
 */
import { IOError } from '../../errors.js';
import { splitTop } from '../paths.js';

/** Splits `container/blob` (either may be empty) after checking the path. */
export function split(path: string, name = 'path'): { container: string; blob: string } {
  const [container, blob] = splitTop(path, name);
  return { container, blob };
}

/** Splits a path that must name a blob. */
export function needBlob(path: string, name = 'path'): { container: string; blob: string } {
  const parts = split(path, name);
  if (parts.container === '' || parts.blob === '')
    throw new IOError(`${JSON.stringify(path)} names a container, not a blob (paths are container/blob)`, { code: 'EISDIR' });
  return parts;
}
