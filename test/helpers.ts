import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Small helpers shared by the tests. */

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
export const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** `length` pseudo-random bytes, the same for the same seed. */
export function randomBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

/** PyArrow's check_large_seeks file: sparse, 2^32 + 10 bytes, 'mark\n' at 2^32 + 5. */
export function largeSparseFile(dir: string): string {
  const path = join(dir, `sparse-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, 2 ** 32 + 10);
  writeSync(fd, encode('mark\n'), 0, 5, 2 ** 32 + 5);
  closeSync(fd);
  return path;
}
