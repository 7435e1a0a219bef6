/**
 * `resize()` of a memory map under zero-copy Buffers from `readBuffer`. Arrow refuses to
 * resize a map with active readers; here a shrink is refused while a Buffer over the bytes it
 * would cut is alive and not released (on Linux those bytes read as zeros after the cut, and a
 * page wholly past the new end faults: test/node/mmap-sigbus.test.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createMemoryMap, memoryMap } from '../../src/node.js';
import { mmapAddon } from '../../src/io/mmap-addon.js';
import { tempFiles } from '../helpers.js';

const { fresh } = tempFiles('mmap-resize');
const page = mmapAddon().pageSize();
const SIZE = 16 * page;

/** A map of SIZE bytes, every one 7, positioned at 0. */
function sevens(path = fresh()) {
  const map = createMemoryMap(path, SIZE);
  map.writeSync(new Uint8Array(SIZE).fill(7));
  map.seek(0);
  return map;
}

/** Runs full collections until `until()` holds (FinalizationRegistry callbacks run between them). */
async function collectGarbage(until: () => boolean): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 50 && !until(); i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Whether `resize(size)` went through (false: refused with EBUSY). */
function resized(map: ReturnType<typeof createMemoryMap>, size: number): boolean {
  try {
    map.resize(size);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EBUSY') return false;
    throw error;
  }
}

describe('shrinking a memory map under zero-copy Buffers', () => {
  test('a shrink cutting bytes a live Buffer views is refused with EBUSY; file, size and Buffer stay', () => {
    const path = fresh();
    using map = sevens(path);
    const buffer = map.readBufferSync(SIZE);
    expect(() => map.resize(page)).toThrow(
      expect.objectContaining({ name: 'IOError', code: 'EBUSY', message: expect.stringMatching(/release\(\)/) }),
    );
    expect(map.sizeSync()).toBe(SIZE);
    expect(statSync(path).size).toBe(SIZE);
    expect(buffer.at(8 * page)).toBe(7);
    expect(buffer.at(-1)).toBe(7);
  });

  test('a Buffer from the async readBuffer() holds a shrink back too', async () => {
    using map = sevens();
    const buffer = await map.readBuffer(SIZE);
    expect(resized(map, page)).toBe(false);
    buffer.release();
    expect(resized(map, page)).toBe(true);
  });

  test('once the Buffer and every slice of it are released, the shrink goes through', () => {
    const path = fresh();
    using map = sevens(path);
    const buffer = map.readBufferSync(SIZE);
    const slice = buffer.slice(8 * page, 10);
    buffer.release();
    expect(resized(map, page)).toBe(false);
    expect(slice.at(0)).toBe(7);
    slice.release();
    expect(resized(map, page)).toBe(true);
    expect(map.sizeSync()).toBe(page);
    expect(statSync(path).size).toBe(page);
  });

  test('Buffers wholly below the new end do not hold a shrink back, and keep their bytes', () => {
    using map = sevens();
    const first = map.readBufferSync(page);
    const upToEnd = map.readBufferSync(page);
    expect(resized(map, 2 * page)).toBe(true);
    expect([first.at(0), first.at(-1), upToEnd.at(0), upToEnd.at(-1)]).toEqual([7, 7, 7, 7]);
    expect(resized(map, page + 1)).toBe(false);
  });

  test('a Buffer dropped without release() holds a shrink back only until it is collected', async () => {
    using map = sevens();
    (() => map.readBufferSync(SIZE))();
    map.seek(0);
    await collectGarbage(() => resized(map, page));
    expect(map.sizeSync()).toBe(page);
  });

  test('growing under live Buffers is allowed; they keep viewing the file', () => {
    const path = fresh();
    using map = sevens(path);
    const buffer = map.readBufferSync(SIZE);
    map.resize(2 * SIZE);
    buffer.view[5] = 3;
    expect(readFileSync(path)[5]).toBe(3);
    expect(map.readAtSync(5, 1)[0]).toBe(3);
    expect(buffer.at(-1)).toBe(7);
  });

  test('Buffers of a writable map are mutable, of a read-only map immutable, as before', () => {
    const path = fresh();
    sevens(path).closeSync();
    using writable = memoryMap(path, 'r+');
    using readOnly = memoryMap(path, 'r');
    expect([writable.readBufferSync(10).isMutable, readOnly.readBufferSync(10).isMutable]).toEqual([true, false]);
  });
});
