/**
 * The Origin Private File System's root, where there is one: browsers (pages and workers).
 * Elsewhere (Node, Deno without storage) every OPFS entry point fails with one clear error.
 * @module
 */
import { UnsupportedOperationError } from '../errors.js';

/** Whether this runtime has OPFS (`navigator.storage.getDirectory`). */
export function hasOpfs(): boolean {
  return typeof (globalThis.navigator as Navigator | undefined)?.storage?.getDirectory === 'function';
}

/** Throws the error every OPFS entry point gives where there is no OPFS. */
export function requireOpfs(what: string): void {
  if (!hasOpfs()) {
    throw new UnsupportedOperationError(
      `${what} needs OPFS (the Origin Private File System), which exists in browsers only: navigator.storage.getDirectory is missing here. In Node, use OSFile or LocalFileSystem from 'nativefile/node'`,
    );
  }
}

/** The root directory of this origin's OPFS. */
export async function opfsRoot(): Promise<FileSystemDirectoryHandle> {
  requireOpfs('this call');
  return navigator.storage.getDirectory();
}
