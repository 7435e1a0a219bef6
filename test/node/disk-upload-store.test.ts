// The resume tokens resumableUpload keeps on disk live, by default, under the shared temporary
// folder, where another local user can create files first: a save must never write through a
// link planted there, and a folder that is not the user's own is refused.
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IOError } from '../../src/errors.js';
import { diskUploadStore } from '../../src/fs/uploads/disk-upload-store.js';
import { defaultUploadDir } from '../../src/fs/uploads/resumable-upload-node.js';

const record = { path: 'bkt/k', fingerprint: { name: 'a', size: 1, sample: 'x' }, token: '{"t":1}' };
const isRoot = process.getuid?.() === 0;

describe('the disk store of upload tokens', () => {
  it('never writes through links planted where its temporary files could go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nativefile-store-'));
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const key = 'k'.repeat(40);
    for (const pid of [process.pid, process.pid + 1]) symlinkSync(victim, join(dir, `${key}.json.${pid}.tmp`));
    const store = diskUploadStore(dir);
    await store.save(key, record);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(await store.load(key)).toEqual(record);
  });

  it('keeps its folder and records private to the user (0700, 0600)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nativefile-store-')), 'uploads');
    const store = diskUploadStore(dir);
    await store.save('a'.repeat(40), record);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(dir, `${'a'.repeat(40)}.json`)).mode & 0o777).toBe(0o600);
  });

  it.skipIf(!isRoot)('refuses a folder another user owns: its records could be planted or read (EACCES)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nativefile-store-')), 'uploads');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    chownSync(dir, 65534, 65534);
    const store = diskUploadStore(dir);
    for (const attempt of [() => store.save('b'.repeat(40), record), () => store.load('b'.repeat(40))]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IOError);
      expect((error as IOError).code).toBe('EACCES');
      expect((error as IOError).message).toContain(dir);
    }
  });

  it.skipIf(process.getuid === undefined)("defaults to a folder of the user's own, not one shared with other users", () => {
    expect(defaultUploadDir()).toBe(join(tmpdir(), `nativefile-uploads-${process.getuid!()}`));
  });
});
