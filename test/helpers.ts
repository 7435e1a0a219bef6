import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

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

/** The temporary folders this test file made: removed when it ends (runs used to leave 600). */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh temporary folder, with new file names in it and files of 4 KiB random bytes
 * (PyArrow's sample_disk_data), removed when the test file ends.
 */
export function tempFiles(prefix: string): {
  dir: string;
  fresh: () => string;
  sampleFile: () => { path: string; data: Uint8Array };
} {
  const dir = mkdtempSync(join(tmpdir(), `nativefile-${prefix}-`));
  made.push(dir);
  let counter = 0;
  const fresh = () => join(dir, `file-${counter++}`);
  const sampleFile = () => {
    const data = randomBytes(4096, counter + 1);
    const path = fresh();
    writeFileSync(path, data);
    return { path, data };
  };
  return { dir, fresh, sampleFile };
}

/** Runs full collections until `until()` holds or FinalizationRegistry callbacks had 50 chances (node --expose-gc). */
export async function collectGarbage(until: () => boolean): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 50 && !until(); i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Counts the event-loop turns (macrotasks) other tasks got while `work` ran. */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  running = false;
  return { result, turns };
}
