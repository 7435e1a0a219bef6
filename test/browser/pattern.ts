// Test data shared by the page and worker sides of the browser tests.

export const MiB = 1024 * 1024;

/** The byte at `offset` of the test pattern. */
export const patternAt = (offset: number): number => (offset * 31 + (offset >>> 12)) & 0xff;

export function fillPattern(bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < bytes.length; i++) bytes[i] = patternAt(offset + i);
}

export function checkPattern(bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== patternAt(offset + i)) return false;
  return true;
}

/** Removes `name` (recursively) from the OPFS root; missing is fine. */
export async function removeEntry(name: string): Promise<void> {
  await (await navigator.storage.getDirectory()).removeEntry(name, { recursive: true }).catch(() => {});
}

/** The names in OPFS directory `path` ('' for the root). */
export async function listDir(path: string): Promise<string[]> {
  let directory = await navigator.storage.getDirectory();
  for (const name of path.split('/').filter(Boolean)) directory = await directory.getDirectoryHandle(name);
  const names: string[] = [];
  for await (const name of (directory as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
  return names.sort();
}
