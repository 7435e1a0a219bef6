// The lock file of an upload record on disk (resumableUpload in Node): a holder that is alive
// makes the next call wait (until it releases, or the call's signal aborts), one that is gone
// (killed: its pid runs no more, or it names this process and thread, a dead predecessor's) or
// that stopped refreshing the file for a minute does not; a folder where no lock can be made
// fails the call; calls of one thread queue in memory, and another thread's lock is live.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { threadId } from 'node:worker_threads';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IOError } from '../../src/errors.js';
import { lockFile } from '../../src/fs/uploads/disk-upload-lock.js';
import { diskUploadStore } from '../../src/fs/uploads/disk-upload-store.js';

const dir = mkdtempSync(join(tmpdir(), 'nativefile-lock-'));
const holder = (pid: number, host = hostname(), thread = threadId) => JSON.stringify({ host, pid, thread, nonce: 'x' });
const pending = async (promise: Promise<unknown>, ms = 150): Promise<boolean> =>
  Promise.race([promise.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms))]);

describe('the lock file of an upload record', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is taken, held, and removed on release', async () => {
    const path = join(dir, 'a.lock');
    const release = await lockFile(path, undefined);
    expect(existsSync(path)).toBe(true);
    await release();
    expect(existsSync(path)).toBe(false);
  });

  it('queues the calls of one process: the second gets it when the first releases', async () => {
    const path = join(dir, 'b.lock');
    const first = await lockFile(path, undefined);
    const second = lockFile(path, undefined);
    expect(await pending(second)).toBe(true);
    await first();
    const release = await second;
    expect(existsSync(path)).toBe(true);
    await release();
  });

  it('waits for a live process holding it until it is released, and a signal stops the wait', async () => {
    const path = join(dir, 'c.lock');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(path, holder(other.pid!));
      const controller = new AbortController();
      const waiting = lockFile(path, controller.signal);
      expect(await pending(waiting)).toBe(true);
      const reason = new Error('gave up');
      controller.abort(reason);
      await expect(waiting).rejects.toBe(reason);

      const next = lockFile(path, undefined);
      expect(await pending(next)).toBe(true);
      rmSync(path); // the holder releases it
      const release = await next;
      await release();
    } finally {
      other.kill();
    }
  });

  it('a third call waits for the holder after a second one gave up (its signal aborted)', async () => {
    const path = join(dir, 'e.lock');
    const first = await lockFile(path, undefined);
    const giveUp = new AbortController();
    const second = lockFile(path, giveUp.signal);
    giveUp.abort();
    await expect(second).rejects.toThrow();
    const third = lockFile(path, undefined);
    expect(await pending(third)).toBe(true);
    await first();
    await (
      await third
    )();
  });

  it('a lock of another thread of this process is waited for, as a live holder', async () => {
    const path = join(dir, 'f.lock');
    writeFileSync(path, holder(process.pid, hostname(), threadId + 1));
    const controller = new AbortController();
    const waiting = lockFile(path, controller.signal);
    expect(await pending(waiting)).toBe(true);
    controller.abort();
    await expect(waiting).rejects.toThrow();
  });

  it('breaks the lock of a process that is gone, of its own pid and thread (a dead predecessor), or not refreshed for a minute', async () => {
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    const cases = {
      'gone.lock': holder(gone.pid!),
      'own.lock': holder(process.pid),
      'torn.lock': '',
      'elsewhere.lock': holder(1, 'another-host'),
    };
    for (const [name, text] of Object.entries(cases)) {
      const path = join(dir, name);
      writeFileSync(path, text);
      if (name === 'torn.lock' || name === 'elsewhere.lock') {
        // Young, they are waited for; a minute unrefreshed, they are stale.
        const controller = new AbortController();
        const waiting = lockFile(path, controller.signal);
        expect(await pending(waiting), name).toBe(true);
        controller.abort();
        await expect(waiting).rejects.toThrow();
        const old = new Date(Date.now() - 61_000);
        utimesSync(path, old, old);
      }
      const release = await lockFile(path, AbortSignal.timeout(5000));
      await release();
      expect(existsSync(path), name).toBe(false);
    }
  });

  it('fails with an IOError where no lock file can be made', async () => {
    const path = join(dir, 'missing-folder', 'd.lock');
    await expect(lockFile(path, undefined)).rejects.toBeInstanceOf(IOError);
    // The in-process queue is released too: the next call is not stuck behind it.
    await expect(lockFile(path, AbortSignal.timeout(1000))).rejects.toBeInstanceOf(IOError);
  });

  it("the store's lock clears the temporary files of its record's saves that a crash cut short", async () => {
    const store = join(dir, 'store');
    const records = diskUploadStore(store);
    await records.save('k', { path: 'b/x', fingerprint: { name: '', size: 1, sample: '' }, token: 't' });
    writeFileSync(join(store, 'k.json.0f1e.tmp'), '{"torn');
    writeFileSync(join(store, 'other.json.0f1e.tmp'), '{"another record\'s');
    const release = await records.lock!('k', undefined);
    expect(existsSync(join(store, 'k.json.0f1e.tmp'))).toBe(false);
    expect(existsSync(join(store, 'other.json.0f1e.tmp'))).toBe(true);
    expect(await records.load('k')).toMatchObject({ token: 't' });
    await release();
    expect(existsSync(join(store, 'k.lock'))).toBe(false);
  });
});
