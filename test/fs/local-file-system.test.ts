/**
 * LocalFileSystem against real temporary directories: the shared filesystem checks (the same
 * ones OpfsFileSystem passes in the browser), then what only the local disk has.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileNotFoundError, IOError } from '../../src/errors.js';
import { LocalFileSystem } from '../../src/fs/local/local-file-system.js';
import { expectedChecks, fileSystemChecks, STORE_TRAITS } from './filesystem-checks.js';

describe('LocalFileSystem', () => {
  let base: string;
  const fs = new LocalFileSystem();
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'nativefile-localfs-'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('behaves as every filesystem should: infos, listings, reads, writes, errors, moves, deletes', async () => {
    expect(await fileSystemChecks(fs, base)).toEqual(expectedChecks(STORE_TRAITS.local));
  });

  it('opens input files that read both synchronously and asynchronously', async () => {
    writeFileSync(join(base, 'x.bin'), Uint8Array.of(9, 8, 7, 6));
    const file = await fs.openInputFile(join(base, 'x.bin'));
    expect(file.isSync).toBe(true);
    expect(Array.from(file.readAtSync(1, 2))).toEqual([8, 7]);
    expect(Array.from(await file.readAt(2, 2))).toEqual([7, 6]);
    await file.close();
  });

  it('reports the modification time and size from stat', async () => {
    const path = join(base, 'y.txt');
    writeFileSync(path, 'hello');
    const info = await fs.getFileInfo(path);
    expect(info).toMatchObject({ path, type: 'file', size: 5 });
    expect(Math.abs(info.mtime!.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('lists children with the directory path joined to their names', async () => {
    writeFileSync(join(base, 'f'), '');
    expect(await fs.listDir(base)).toEqual([expect.objectContaining({ path: join(base, 'f'), type: 'file', size: 0 })]);
  });

  it('does not create missing parents when opening for writing (as pyarrow)', async () => {
    await expect(fs.openOutputStream(join(base, 'no', 'such.bin'))).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it('deletes a symbolic link to a directory with deleteFile, leaving the directory', async () => {
    await fs.createDir(join(base, 'target'));
    symlinkSync(join(base, 'target'), join(base, 'link'));
    expect((await fs.getFileInfo(join(base, 'link'))).type).toBe('directory');
    await fs.deleteFile(join(base, 'link'));
    expect((await fs.getFileInfo(join(base, 'link'))).type).toBe('not-found');
    expect((await fs.getFileInfo(join(base, 'target'))).type).toBe('directory');
  });

  it('treats a path through a file as not found in getFileInfo', async () => {
    writeFileSync(join(base, 'plain'), 'x');
    expect((await fs.getFileInfo(join(base, 'plain', 'inside'))).type).toBe('not-found');
  });

  it('refuses to delete the root directory', async () => {
    await expect(fs.deleteDir('/')).rejects.toMatchObject({ code: 'EACCES' });
    await expect(fs.deleteDir('/')).rejects.toBeInstanceOf(IOError);
  });

  it('names the bad argument in TypeErrors', async () => {
    await expect(fs.getFileInfo(42 as unknown as string)).rejects.toThrow(/path must be a string/);
    await expect(fs.move(base, 7 as unknown as string)).rejects.toThrow(/to must be a string/);
    await expect(fs.listDir(base, { recursive: 'yes' as unknown as boolean })).rejects.toThrow(
      /options.recursive must be a boolean/,
    );
  });

  it('moving into a missing directory is a FileNotFoundError naming the target', async () => {
    writeFileSync(join(base, 'src'), 'x');
    await expect(fs.move(join(base, 'src'), join(base, 'no', 'dst'))).rejects.toThrow(/directory of .*no\/dst/);
  });
});
