import { execFileSync } from 'node:child_process';

/** bzip2 through Debian's tool (Node has no bzip2): compresses, or decompresses with `'decompress'`. */
export function bzip2Sync(data: Uint8Array, direction: 'compress' | 'decompress' = 'compress'): Uint8Array {
  return new Uint8Array(execFileSync('bzip2', direction === 'compress' ? ['-c'] : ['-dc'], { input: data }));
}
