import { execFileSync } from 'node:child_process';
import { constants } from 'node:buffer';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { mmapAddon } from '../../src/io/mmap-addon.js';
import { ROOT } from './child.js';

const dir = mkdtempSync(join(tmpdir(), 'nativefile-mmap-addon-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `size` bytes `fill`, opened with `flags`; the caller closes the descriptor. */
function openData(name: string, size: number, flags: string, fill = 1): number {
  const path = join(dir, name);
  writeFileSync(path, new Uint8Array(size).fill(fill));
  return openSync(path, flags);
}

/** What `action` threw: its constructor name, `code`, `errno`, `syscall` and message. */
function thrown(action: () => unknown): { name: string; code: unknown; errno?: unknown; syscall?: unknown; message: string } {
  try {
    action();
  } catch (error) {
    const { code, errno, syscall } = error as { code?: unknown; errno?: unknown; syscall?: unknown };
    return { name: (error as Error).constructor.name, code, errno, syscall, message: (error as Error).message };
  }
  throw new Error('nothing was thrown');
}

describe('the memory-map addon, loaded through src/io/mmap-addon.ts', () => {
  const addon = mmapAddon();
  const page = addon.pageSize();

  test('exports its API, enumerable', () => {
    expect(Object.keys(addon).sort()).toEqual(['apiVersion', 'isStale', 'map', 'maxMappings', 'pageSize', 'sync', 'syncAsync']);
    expect(addon.apiVersion).toBe(3);
    expect(addon.maxMappings).toBe(65536);
    expect(page % 4096).toBe(0);
    expect(mmapAddon()).toBe(addon);
  });

  test('a writable map shares writes with the file; sync writes them back; a fresh map is not stale', () => {
    const fd = openData('shared.bin', 2 * page, 'r+');
    const mapping = addon.map(fd, page, page, true);
    closeSync(fd);
    new Uint8Array(mapping).set([7, 8, 9], 10);
    addon.sync(mapping, 10, 3);
    addon.sync(mapping, 0, 0);
    expect([...readFileSync(join(dir, 'shared.bin')).subarray(page + 10, page + 13)]).toEqual([7, 8, 9]);
    expect(addon.isStale(mapping)).toBe(false);
  });

  test('a read-only map is private copy-on-write: writes change memory, not the file', () => {
    const fd = openData('private.bin', page, 'r', 5);
    const mapping = addon.map(fd, 0, page, false);
    closeSync(fd);
    new Uint8Array(mapping)[0] = 99;
    expect(new Uint8Array(mapping)[0]).toBe(99);
    expect(readFileSync(join(dir, 'private.bin'))[0]).toBe(5);
  });

  test('bad arguments: TypeError or RangeError with code EINVAL and a clear message', () => {
    const fd = openData('args.bin', page, 'r');
    try {
      expect(thrown(() => addon.map(fd, 0, 0, false))).toMatchObject({
        name: 'RangeError',
        code: 'EINVAL',
        message: expect.stringMatching(/length must be > 0/),
      });
      expect(thrown(() => addon.map(fd, 100, 10, false))).toMatchObject({
        name: 'RangeError',
        code: 'EINVAL',
        message: `offset 100 is not a multiple of the page size ${page}`,
      });
      expect(thrown(() => addon.map(fd, 0, 1.5, false))).toMatchObject({
        name: 'RangeError',
        code: 'EINVAL',
        message: expect.stringMatching(/length must be an integer .* got 1\.5/),
      });
      expect(thrown(() => addon.map(fd, 0, 2 ** 53, false))).toMatchObject({
        name: 'RangeError',
        code: 'EINVAL',
        message: expect.stringMatching(/length must be an integer in \[0, 9007199254740991\]/),
      });
      expect(thrown(() => addon.map(fd, -page, 10, false))).toMatchObject({ name: 'RangeError', code: 'EINVAL' });
      expect(thrown(() => addon.map(-1, 0, 10, false))).toMatchObject({
        name: 'RangeError',
        code: 'EINVAL',
        message: expect.stringMatching(/^fd must be/),
      });
      expect(thrown(() => addon.map(Number.NaN, 0, 10, false))).toMatchObject({ name: 'RangeError', code: 'EINVAL' });
      const untyped = addon.map as unknown as (...args: unknown[]) => ArrayBuffer;
      expect(thrown(() => untyped('3', 0, 10, false))).toMatchObject({
        name: 'TypeError',
        code: 'EINVAL',
        message: 'fd must be a number',
      });
      expect(thrown(() => untyped(fd, 0, 10, 1))).toMatchObject({
        name: 'TypeError',
        code: 'EINVAL',
        message: 'writable must be a boolean',
      });
      expect(thrown(() => untyped(fd, 0, 10))).toMatchObject({ name: 'TypeError', code: 'EINVAL' });
    } finally {
      closeSync(fd);
    }
  });

  test('failed system calls carry the errno name, errno and syscall', () => {
    const closed = openData('closed.bin', page, 'r');
    closeSync(closed);
    expect(thrown(() => addon.map(closed, 0, page, false))).toMatchObject({
      name: 'Error',
      code: 'EBADF',
      errno: -9,
      syscall: 'mmap',
    });
    const readOnly = openData('readonly.bin', page, 'r');
    try {
      // A shared writable map needs a descriptor open for writing.
      expect(thrown(() => addon.map(readOnly, 0, page, true))).toMatchObject({ code: 'EACCES', syscall: 'mmap' });
    } finally {
      closeSync(readOnly);
    }
    const directory = openSync(dir, 'r');
    try {
      expect(thrown(() => addon.map(directory, 0, page, false))).toMatchObject({ code: 'ENODEV', syscall: 'mmap' });
    } finally {
      closeSync(directory);
    }
  });

  test('sync and isStale accept only live maps, and only ranges inside them', () => {
    const fd = openData('ranges.bin', page, 'r+');
    const mapping = addon.map(fd, 0, page, true);
    closeSync(fd);
    expect(thrown(() => addon.isStale(new ArrayBuffer(8)))).toMatchObject({
      name: 'TypeError',
      code: 'EINVAL',
      message: 'mapping must be an ArrayBuffer returned by map()',
    });
    expect(thrown(() => addon.sync(new ArrayBuffer(8), 0, 1))).toMatchObject({ name: 'TypeError', code: 'EINVAL' });
    const untyped = addon.isStale as unknown as (value: unknown) => boolean;
    expect(thrown(() => untyped(new Uint8Array(mapping)))).toMatchObject({ name: 'TypeError', code: 'EINVAL' });
    expect(thrown(() => addon.sync(mapping, page + 1, 0))).toMatchObject({
      name: 'RangeError',
      code: 'EINVAL',
      message: expect.stringMatching(new RegExp(`^offset must be an integer in \\[0, ${page}\\]`)),
    });
    expect(thrown(() => addon.sync(mapping, 10, page))).toMatchObject({
      name: 'RangeError',
      code: 'EINVAL',
      message: `length must be an integer in [0, ${page - 10}], got ${page}`,
    });
    expect(() => addon.sync(mapping, page, 0)).not.toThrow();
  });

  test('a map longer than Node allows for one ArrayBuffer: RangeError EINVAL, and nothing stays mapped', () => {
    const path = join(dir, 'sparse.bin');
    writeFileSync(path, '');
    const length = 5 * 2 ** 30;
    truncateSync(path, length);
    const fd = openSync(path, 'r');
    const mapped = (): number =>
      readFileSync('/proc/self/maps', 'utf8')
        .split('\n')
        .filter((line) => line.endsWith(path)).length;
    try {
      if (constants.MAX_LENGTH >= length) {
        expect(addon.map(fd, 0, length, false).byteLength).toBe(length);
      } else {
        expect(thrown(() => addon.map(fd, 0, length, false))).toMatchObject({
          name: 'RangeError',
          code: 'EINVAL',
          message: expect.stringMatching(/longer than this Node allows/),
        });
        expect(mapped()).toBe(0);
      }
    } finally {
      closeSync(fd);
      rmSync(path);
    }
  });

  test('the committed prebuild has the API of addon/mmap.c (npm run build:addon after changing the C)', () => {
    const source = readFileSync(join(ROOT, 'addon', 'mmap.c'), 'utf8');
    const declared = Number(/#define NF_API_VERSION (\d+)/.exec(source)?.[1]);
    const probe = `const a = require('node-gyp-build')(${JSON.stringify(ROOT)}); console.log(JSON.stringify([a.apiVersion, Object.keys(a)]))`;
    const output = execFileSync(process.execPath, ['-e', probe], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PREBUILDS_ONLY: '1' },
    });
    expect(JSON.parse(output)).toEqual([declared, Object.keys(addon)]);
    expect(addon.apiVersion).toBe(declared);
  });
});
