import { describe, expect, test } from 'vitest';
import { runChild } from './child.js';

/*
 * Each case runs in its own node process: without the addon's SIGBUS handler, touching a
 * mapped page past the end of a truncated file kills the process (exit 135, signal SIGBUS).
 */

/** A read-only (private) map of 3 pages; the file is cut to 10 bytes through another descriptor. */
const READ_ONLY_TRUNCATED = `
  const file = path.join(dir, 'data.bin');
  fs.writeFileSync(file, Buffer.alloc(3 * page, 0x41));
  const fd = fs.openSync(file, 'r');
  const mapping = addon.map(fd, 0, 3 * page, false);
  const view = new Uint8Array(mapping);
  const before = addon.isStale(mapping);
  const other = fs.openSync(file, 'r+');
  fs.ftruncateSync(other, 10);
  fs.closeSync(other);
  const head = view[9];
  const past = view[2 * page + 5];
  report({ before, head, past, stale: addon.isStale(mapping), last: view[3 * page - 1] });
`;

describe('SIGBUS from a mapped file that shrank', () => {
  test('control: with the default action, the child dies of SIGBUS (what the handler prevents)', () => {
    const child = runChild(READ_ONLY_TRUNCATED, { env: { NATIVEFILE_MMAP_SIGBUS: 'default' } });
    expect(child.signal).toBe('SIGBUS');
    expect(child.result).toBeUndefined();
  });

  test('read-only map, file truncated through another descriptor: past the end reads zeros, map is stale', () => {
    const child = runChild(READ_ONLY_TRUNCATED);
    expect(child.stderr).toBe('');
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    expect(child.result).toEqual({ before: false, head: 0x41, past: 0, stale: true, last: 0 });
  });

  test('writable map shrunk by ftruncate while a view is alive: writes past the end complete, sync throws ESTALE', () => {
    const child = runChild(`
      const file = path.join(dir, 'data.bin');
      fs.writeFileSync(file, Buffer.alloc(4 * page, 1));
      const fd = fs.openSync(file, 'r+');
      const mapping = addon.map(fd, 0, 4 * page, true);
      const view = new Uint8Array(mapping);
      view[0] = 7;
      fs.ftruncateSync(fd, page);
      view[3 * page] = 9;
      const readBack = view[3 * page];
      let syncError = null;
      try { addon.sync(mapping, 0, page); } catch (error) { syncError = { name: error.name, code: error.code }; }
      fs.closeSync(fd);
      report({ readBack, stale: addon.isStale(mapping), syncError, size: fs.statSync(file).size, first: fs.readFileSync(file)[0] });
    `);
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    expect(child.result).toEqual({
      readBack: 9,
      stale: true,
      syncError: { name: 'Error', code: 'ESTALE' },
      size: 4096,
      first: 7,
    });
  });

  test('a view kept after its map was dropped and the descriptor closed, then the file truncated', () => {
    const child = runChild(`
      const file = path.join(dir, 'data.bin');
      fs.writeFileSync(file, Buffer.alloc(2 * page, 3));
      const fd = fs.openSync(file, 'r');
      let mapping = addon.map(fd, 0, 2 * page, false);
      const view = new Uint8Array(mapping, page, page);
      fs.closeSync(fd);
      mapping = null;
      globalThis.gc();
      fs.truncateSync(file, 0);
      let sum = 0;
      for (let i = 0; i < view.length; i++) sum += view[i];
      report({ sum, stale: addon.isStale(view.buffer) });
    `);
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    expect(child.result).toEqual({ sum: 0, stale: true });
  });

  test('a scan over many pages past the end faults once per page and completes', () => {
    const child = runChild(`
      const file = path.join(dir, 'data.bin');
      const pages = 512;
      fs.writeFileSync(file, Buffer.alloc(pages * page, 2));
      const fd = fs.openSync(file, 'r');
      const mapping = addon.map(fd, 0, pages * page, false);
      fs.closeSync(fd);
      fs.truncateSync(file, page);
      const view = new Uint8Array(mapping);
      let sum = 0;
      for (let i = 0; i < view.length; i += 64) sum += view[i];
      const copy = Buffer.from(view.subarray(page));
      report({ sum, copyZero: copy.every((b) => b === 0), stale: addon.isStale(mapping) });
    `);
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    expect(child.result).toEqual({ sum: 2 * (4096 / 64), copyZero: true, stale: true });
  });

  test('a fault in a worker_threads Worker is absorbed; other mappings stay fresh', () => {
    const child = runChild(`
      const { Worker } = require('node:worker_threads');
      const mine = path.join(dir, 'mine.bin');
      fs.writeFileSync(mine, Buffer.alloc(page, 1));
      const fd = fs.openSync(mine, 'r');
      const mainMapping = addon.map(fd, 0, page, false);
      fs.closeSync(fd);
      const worker = new Worker(\`
        const { parentPort, workerData } = require('node:worker_threads');
        const fs = require('node:fs');
        const addon = require(workerData.gypBuild)(workerData.root);
        const page = addon.pageSize();
        fs.writeFileSync(workerData.file, Buffer.alloc(2 * page, 4));
        const fd = fs.openSync(workerData.file, 'r');
        const mapping = addon.map(fd, 0, 2 * page, false);
        fs.closeSync(fd);
        fs.truncateSync(workerData.file, 0);
        const past = new Uint8Array(mapping)[page + 1];
        parentPort.postMessage({ past, stale: addon.isStale(mapping) });
      \`, { eval: true, workerData: { gypBuild, root, file: path.join(dir, 'worker.bin') } });
      worker.on('message', (message) => {
        report({ ...message, mainStale: addon.isStale(mainMapping), mainByte: new Uint8Array(mainMapping)[0] });
      });
      worker.on('error', (error) => report({ error: String(error) }));
    `);
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    expect(child.result).toEqual({ past: 0, stale: true, mainStale: false, mainByte: 1 });
  });

  test("a fault in libuv's thread pool (async zlib reading the mapping) is absorbed", () => {
    const child = runChild(`
      const zlib = require('node:zlib');
      const file = path.join(dir, 'data.bin');
      fs.writeFileSync(file, Buffer.alloc(64 * page, 5));
      const fd = fs.openSync(file, 'r');
      const mapping = addon.map(fd, 0, 64 * page, false);
      fs.closeSync(fd);
      fs.truncateSync(file, page);
      zlib.deflate(new Uint8Array(mapping), (error, deflated) => {
        const back = zlib.inflateSync(deflated);
        report({ error: error && error.code, length: back.length, head: back[0], tailZero: back.subarray(page).every((b) => b === 0), stale: addon.isStale(mapping) });
      });
    `);
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    expect(child.result).toEqual({ error: null, length: 64 * 4096, head: 5, tailZero: true, stale: true });
  });

  test('a SIGBUS that is not ours reaches the handler installed before (a JS listener)', () => {
    const child = runChild(
      `
      fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.alloc(2 * page, 6));
      const fd = fs.openSync(path.join(dir, 'data.bin'), 'r');
      const mapping = addon.map(fd, 0, 2 * page, false);
      fs.closeSync(fd);
      fs.truncateSync(path.join(dir, 'data.bin'), 0);
      const past = new Uint8Array(mapping)[page];
      process.kill(process.pid, 'SIGBUS');
      setTimeout(() => { report({ heard, past, stale: addon.isStale(mapping) }); process.exit(0); }, 200);
    `,
      { prelude: "let heard = 0; process.on('SIGBUS', () => { heard++; });" },
    );
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    expect(child.result).toEqual({ heard: 1, past: 0, stale: true });
  });

  test('a SIGBUS that is not ours still kills by default', () => {
    const child = runChild(`
      report('before');
      process.kill(process.pid, 'SIGBUS');
      setTimeout(() => report('survived'), 500);
    `);
    expect(child.signal).toBe('SIGBUS');
    expect(child.result).toBe('before');
  });
});

describe('the registry of live mappings', () => {
  test('slots are reused once mappings are collected: more maps over time than maxMappings', () => {
    const child = runChild(`
      const file = path.join(dir, 'data.bin');
      fs.writeFileSync(file, Buffer.alloc(page, 8));
      const fd = fs.openSync(file, 'r');
      (async () => {
        let sum = 0;
        const total = addon.maxMappings + 5000;
        for (let i = 0; i < total; i++) {
          sum += new Uint8Array(addon.map(fd, 0, page, false))[0];
          if (i % 4000 === 0) { globalThis.gc(); await new Promise((resolve) => setImmediate(resolve)); }
        }
        const last = addon.map(fd, 0, page, false);
        report({ sum: sum === 8 * total, stale: addon.isStale(last) });
      })().catch((error) => report({ error: error.code + ' ' + error.message }));
    `);
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    expect(child.result).toEqual({ sum: true, stale: false });
  }, 30_000);

  test('maps and unmaps racing in several Workers keep every stale flag right', () => {
    const child = runChild(`
      const { Worker } = require('node:worker_threads');
      const source = \`
        const { parentPort, workerData } = require('node:worker_threads');
        const fs = require('node:fs');
        const addon = require(workerData.gypBuild)(workerData.root);
        const page = addon.pageSize();
        fs.writeFileSync(workerData.file, Buffer.alloc(2 * page, 9));
        const fd = fs.openSync(workerData.file, 'r+');
        (async () => {
          let wrong = 0;
          for (let round = 0; round < 20; round++) {
            const kept = [];
            for (let i = 0; i < 500; i++) kept.push(addon.map(fd, 0, 2 * page, false));
            const victim = kept[round * 7 % kept.length];
            fs.ftruncateSync(fd, page);
            if (new Uint8Array(victim)[page] !== 0) wrong++;
            fs.ftruncateSync(fd, 2 * page);
            for (const mapping of kept) if (addon.isStale(mapping) !== (mapping === victim)) wrong++;
            globalThis.gc();
            await new Promise((resolve) => setImmediate(resolve));
          }
          parentPort.postMessage(wrong);
        })();
      \`;
      const results = [];
      for (let w = 0; w < 4; w++) {
        const worker = new Worker(source, { eval: true, workerData: { gypBuild, root, file: path.join(dir, 'w' + w) } });
        worker.on('message', (wrong) => { results.push(wrong); if (results.length === 4) report(results); });
        worker.on('error', (error) => report(String(error)));
      }
    `);
    expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(child.result).toEqual([0, 0, 0, 0]);
  }, 30_000);
});
