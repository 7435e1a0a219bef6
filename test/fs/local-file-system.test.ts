/**
 * LocalFileSystem against real temporary directories: the shared filesystem checks (the same
 * ones OpfsFileSystem passes in the browser), then what only the local disk has.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

  describe('paths through symbolic links, as the OS resolves them', () => {
    // base/real/sub, base/real/data.csv, base/data.csv, base/link -> base/real/sub: so
    // base/link/.. is base/real, where text alone would say base.
    beforeEach(() => {
      mkdirSync(join(base, 'real', 'sub'), { recursive: true });
      writeFileSync(join(base, 'real', 'data.csv'), 'inside');
      writeFileSync(join(base, 'data.csv'), 'outside');
      symlinkSync(join(base, 'real', 'sub'), join(base, 'link'));
    });

    it("lists link/.. as the OS finds it, each entry's path reaching that entry", async () => {
      const listed = await fs.listDir(`${join(base, 'link')}/..`);
      expect(listed.map((info) => `${info.path}:${info.type}`).sort()).toEqual([
        `${join(base, 'link')}/../data.csv:file`,
        `${join(base, 'link')}/../sub:directory`,
      ]);
      for (const info of listed) expect((await fs.getFileInfo(info.path)).type).toBe(info.type);
    });

    it('deleteDirContents of link/.. empties the directory the OS resolves, nothing beside it', async () => {
      await fs.deleteDirContents(`${join(base, 'link')}/..`);
      expect(readdirSync(join(base, 'real'))).toEqual([]);
      expect(existsSync(join(base, 'data.csv'))).toBe(true);
    });
  });

  it('deleteDirContents removes links (to directories, and dangling) and leaves their targets', async () => {
    mkdirSync(join(base, 'dir'));
    mkdirSync(join(base, 'target'));
    writeFileSync(join(base, 'target', 'kept.bin'), 'x');
    symlinkSync(join(base, 'target'), join(base, 'dir', 'to-dir'));
    symlinkSync(join(base, 'nowhere'), join(base, 'dir', 'dangling'));
    writeFileSync(join(base, 'dir', 'plain.bin'), 'x');
    await fs.deleteDirContents(join(base, 'dir'));
    expect(readdirSync(join(base, 'dir'))).toEqual([]);
    expect(readdirSync(join(base, 'target'))).toEqual(['kept.bin']);
  });

  it("takes '//' for the root, as '/'", async () => {
    expect(await fs.getFileInfo('//')).toMatchObject({ path: '/', type: 'directory' });
    expect((await fs.listDir('//')).length).toBeGreaterThan(0);
  });

  it('names the whole path in a FileNotFoundError, however long', async () => {
    const path = join(base, 'a-rather-long-directory-name', 'and-a-long-file-name.bin');
    await expect(fs.openInputFile(path)).rejects.toThrow(path);
    await expect(fs.listDir(path)).rejects.toThrow(path);
  });
});
