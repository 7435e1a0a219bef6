/**
 * A file that shrinks under a memory map must never kill the process (SIGBUS): the library
 * reports it as IOError `ESTALE`. Each case runs the built package in a child process, so a
 * crash can only end the child; `npm test` builds `dist/` before the tests run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const entry = new URL('../../dist/node.js', import.meta.url).href;
const built = existsSync(fileURLToPath(entry));

/** Runs `body` (ES module code with `nf`, `fs`, `path` and a temp `dir`) and returns what it printed. */
function runChild(body: string): { status: number | null; signal: string | null; output: string } {
  const script = `
    import * as nf from ${JSON.stringify(entry)};
    import fs from 'node:fs';
    import os from 'node:os';
    import path from 'node:path';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nativefile-faults-'));
    try { ${body} } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  return { status: child.status, signal: child.signal, output: `${child.stdout}${child.stderr}` };
}

describe.runIf(built)('memory maps over files that shrink', () => {
  test('a file truncated by another descriptor: the next read is ESTALE, the process lives', () => {
    const child = runChild(`
      const file = path.join(dir, 'data');
      fs.writeFileSync(file, Buffer.alloc(3 * 4096, 7));
      const map = nf.memoryMap(file, 'r');
      fs.truncateSync(file, 10);
      try { map.readAtSync(8000, 100); console.log('no error'); }
      catch (error) { console.log('caught', error.name, error.code); }
    `);
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.output).toContain('caught IOError ESTALE');
  });

  test('a buffer kept after close, then the file truncated: touching it reads zeros, no crash', () => {
    const child = runChild(`
      const file = path.join(dir, 'data');
      fs.writeFileSync(file, Buffer.alloc(3 * 4096, 7));
      const map = nf.memoryMap(file, 'r');
      const buffer = map.readBufferSync(3 * 4096);
      map.closeSync();
      fs.truncateSync(file, 10);
      console.log('last byte', buffer.at(-1));
    `);
    expect(child.signal).toBeNull();
    expect(child.output).toContain('last byte 0');
  });

  test('resize() to a smaller size while a buffer from the map lives: refused EBUSY, the buffer intact; after release() it shrinks', () => {
    const child = runChild(`
      const file = path.join(dir, 'data');
      const map = nf.createMemoryMap(file, 3 * 4096);
      map.writeSync(new Uint8Array(3 * 4096).fill(1));
      map.seek(0);
      const buffer = map.readBufferSync(3 * 4096);
      try { map.resize(100); } catch (error) { console.log('refused', error.code, 'byte', buffer.at(2 * 4096)); }
      buffer.release();
      map.resize(100);
      try { map.readAtSync(0, 10); console.log('read ok'); } catch (error) { console.log('caught', error.code); }
    `);
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.output).toContain('refused EBUSY byte 1');
    expect(child.output).toContain('read ok');
  });
});
