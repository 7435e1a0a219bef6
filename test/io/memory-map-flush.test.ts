/**
 * Writing a memory map back to its file: `flush()`/`close()` run msync on libuv's thread pool
 * (the event loop keeps turning), `flushSync()`/`closeSync()` on the calling thread, and what
 * was written before a `resize()` is written back too.
 *
 * Whether bytes were written back is read from /proc/self/smaps: a page written through a
 * shared file mapping counts as dirty there until msync writes it to the file (which cleans
 * it), so the test needs no tracer and sees exactly the writes that are still pending.
 */
import { ftruncateSync, openSync, closeSync as closeFd } from 'node:fs';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createMemoryMap, IOError, type MemoryMappedFile } from '../../src/node.js';
import { mmapAddon } from '../../src/io/mmap-addon.js';
import { tempFiles } from '../helpers.js';

const { fresh } = tempFiles('mmap-flush');
const page = mmapAddon().pageSize();

/** KiB of `path`'s pages that mappings in this process wrote and msync has not written back. */
function dirtyKiB(path: string): number {
  let total = 0;
  let ofPath = false;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) ofPath = line.endsWith(` ${path}`);
    else if (ofPath) {
      const dirty = /^(?:Shared|Private)_Dirty:\s+(\d+) kB/.exec(line);
      if (dirty !== null) total += Number(dirty[1]);
    }
  }
  return total;
}

/** A map of `size` bytes at `path`, all written (dirty), positioned at its end. */
function written(path: string, size: number): MemoryMappedFile {
  const map = createMemoryMap(path, size);
  const chunk = new Uint8Array(Math.min(size, 1 << 20)).fill(9);
  for (let done = 0; done < size; done += chunk.byteLength) map.writeSync(chunk);
  return map;
}

/** How many times the event loop turned (setImmediate) while `pending` was unsettled. */
async function turnsWhile(pending: Promise<unknown>): Promise<number> {
  let turns = 0;
  let settled = false;
  const done = pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  const turn = (): void => {
    if (settled) return;
    turns += 1;
    setImmediate(turn);
  };
  setImmediate(turn);
  await done;
  return turns;
}

describe('what was written before a growing resize() is written back', () => {
  test('flushSync() cleans the pages it writes back (what the checks below rely on)', () => {
    const path = fresh();
    using map = written(path, 1 << 20);
    expect(dirtyKiB(path)).toBeGreaterThan(0);
    map.flushSync();
    expect(dirtyKiB(path)).toBe(0);
  });

  test('closeSync() after a growing resize() leaves no page unwritten', () => {
    const path = fresh();
    const map = written(path, 1 << 20);
    // A Buffer over the first mapping keeps it mapped (and in smaps) after the resize.
    map.seek(0);
    const buffer = map.readBufferSync(10);
    expect(dirtyKiB(path)).toBeGreaterThan(0);
    map.resize(2 << 20);
    map.closeSync();
    expect(dirtyKiB(path)).toBe(0);
    expect(buffer.at(0)).toBe(9);
  });

  test('close() after a growing resize() leaves no page unwritten', async () => {
    const path = fresh();
    const map = written(path, 1 << 20);
    map.seek(0);
    const buffer = map.readBufferSync(10);
    map.resize(2 << 20);
    await map.close();
    expect(dirtyKiB(path)).toBe(0);
    expect(buffer.at(0)).toBe(9);
  });
});

describe('async flush() and close() write back on the thread pool', () => {
  // Enough dirty data that msync takes many event-loop turns (about 15 ms on a fast disk).
  const SIZE = 32 << 20;

  test('the event loop turns while flush() writes back, and every page is written', async () => {
    const path = fresh();
    using map = written(path, SIZE);
    expect(await turnsWhile(map.flush())).toBeGreaterThan(0);
    expect(dirtyKiB(path)).toBe(0);
  });

  test('the event loop turns while close() writes back, and every page is written', async () => {
    const path = fresh();
    const map = written(path, SIZE);
    map.seek(0);
    const buffer = map.readBufferSync(10);
    expect(await turnsWhile(map.close())).toBeGreaterThan(0);
    expect(map.closed).toBe(true);
    expect(dirtyKiB(path)).toBe(0);
    expect(buffer.at(0)).toBe(9);
  });

  test('while flush() is pending, sync calls refuse with EBUSY and close() waits for it', async () => {
    const path = fresh();
    const map = written(path, SIZE);
    const flushed = map.flush();
    expect(() => map.resize(page)).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    expect(() => map.closeSync()).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    expect(() => map.flushSync()).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    const closed = map.close();
    const afterClose = expect(map.flush()).rejects.toThrow(expect.objectContaining({ code: 'ECLOSED' }));
    await expect(flushed).resolves.toBeUndefined();
    await expect(closed).resolves.toBeUndefined();
    await afterClose;
    expect(dirtyKiB(path)).toBe(0);
  });

  test('flush() of a map whose file shrank elsewhere rejects with ESTALE; close() still releases it', async () => {
    const path = fresh();
    const map = written(path, 4 * page);
    const other = openSync(path, 'r+');
    ftruncateSync(other, page);
    closeFd(other);
    // Touching a page past the new end makes the mapping stale (the addon answered with zeros).
    expect(() => map.readAtSync(3 * page, 1)).toThrow(expect.objectContaining({ code: 'ESTALE' }));
    await expect(map.flush()).rejects.toThrow(IOError);
    await expect(map.flush()).rejects.toThrow(expect.objectContaining({ code: 'ESTALE' }));
    await expect(map.close()).resolves.toBeUndefined();
    expect(map.closed).toBe(true);
  });
});
