/**
 * copyFiles at its edges, without servers: an abort while the store copies on its side, and
 * names as long as the disk takes.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileInfo, FileSystem } from '../../src/fs/file-system.js';
import { copyFiles, LocalFileSystem } from '../../src/node.js';

describe('copyFiles, edges', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nativefile-copy-edges-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an abort reaches a copy the store is making on its side, which rejects with the reason', async () => {
    // A store whose server-side copy takes a second unless its signal ends it.
    const store = {
      typeName: 'slow',
      getFileInfo: async (path: string): Promise<FileInfo> => ({ path, type: 'file', size: 3 }),
      openOutputStream: () => Promise.reject(new Error('the copy is made on the store')),
      copyFile: (_from: string, _to: string, options?: { signal?: AbortSignal }) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, 1000);
          options?.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(options.signal!.reason);
          });
        }),
    } as unknown as FileSystem;
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 20);
    const started = performance.now();
    await expect(copyFiles(store, 'x', store, 'y', { signal: controller.signal })).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('copies a file whose name is as long as the disk takes (255 bytes), leaving no partial sibling', async () => {
    const name = `${'n'.repeat(251)}.bin`;
    writeFileSync(join(dir, name), 'long');
    const local = new LocalFileSystem();
    await local.createDir(join(dir, 'out'));
    await copyFiles(local, join(dir, name), local, join(dir, 'out', name));
    expect(readFileSync(join(dir, 'out', name), 'utf8')).toBe('long');
    expect(readdirSync(join(dir, 'out'))).toEqual([name]);
  });
});
