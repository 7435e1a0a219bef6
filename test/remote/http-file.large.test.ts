/**
 * HttpFile past 4 GiB: a sparse 5 GiB file (made with `truncate`, as a server's large object
 * would be) served by nginx, read at offsets above 2^32 by every read path, so no position or
 * size goes through 32-bit arithmetic on the way to the Range header and back.
 */
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, writeSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFile } from '../../src/remote/http-file.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { expectBytes } from './expect-bytes.js';
import { hasNginx, startNginx, type NginxServer } from '../servers/nginx.js';

const GiB = 1024 ** 3;
const SIZE = 5 * GiB;
/** Where the marked bytes are: 4.5 GiB, past what 32 bits hold. */
const AT = 4.5 * GiB;
const marked = randomBytes(256 * 1024, 45);
/** A second mark right below 2^32, so a read across the 32-bit boundary is checked too. */
const BOUNDARY = 2 ** 32 - 100;
const boundaryMark = randomBytes(200, 32);

describe.skipIf(!hasNginx)('HttpFile past 4 GiB, against nginx', () => {
  let server: NginxServer;
  let path: string;
  beforeAll(async () => {
    server = await startNginx();
    path = join(server.root, 'sparse.bin');
    execFileSync('truncate', ['-s', String(SIZE), path]);
    const fd = openSync(path, 'r+');
    try {
      writeSync(fd, marked, 0, marked.byteLength, AT);
      writeSync(fd, boundaryMark, 0, boundaryMark.byteLength, BOUNDARY);
    } finally {
      closeSync(fd);
    }
  });
  afterAll(async () => {
    if (path !== undefined) rmSync(path, { force: true });
    await server?.stop();
  });

  it('knows the size and reads at 4.5 GiB with readAt, seek + read and a read across 2^32', async () => {
    const ranges: string[] = [];
    const recording: FetchLike = (input, init) => {
      const range = new Headers(init?.headers).get('range');
      if (range !== null) ranges.push(range);
      return fetch(input, init);
    };
    await using file = await HttpFile.open(`${server.url}sparse.bin`, { fetch: recording, readAhead: 0 });
    expect(await file.size()).toBe(SIZE);
    expectBytes(await file.readAt(AT, marked.byteLength), marked);
    expect(ranges).toContain(`bytes=${AT}-${AT + marked.byteLength - 1}`);
    // Zeros on both sides: the hole reads as zeros, and the mark is exactly where it was written.
    const around = await file.readAt(AT - 8, 16);
    expect(Array.from(around.subarray(0, 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expectBytes(around.subarray(8), marked.subarray(0, 8));
    expect(file.seek(AT + 1000)).toBe(AT + 1000);
    expectBytes(await file.read(5000), marked.subarray(1000, 6000));
    expect(file.tell()).toBe(AT + 6000);
    expectBytes(await file.readAt(BOUNDARY, boundaryMark.byteLength), boundaryMark);
    expect(file.seek(-10, 2)).toBe(SIZE - 10);
    expect(Array.from(await file.read())).toEqual(new Array(10).fill(0));
  });

  it('reads sequentially with read-ahead and coalesces readRanges above 4 GiB', async () => {
    await using file = await HttpFile.open(`${server.url}sparse.bin`, { readAhead: 64 * 1024 });
    file.seek(AT);
    const chunks: Uint8Array[] = [];
    for (let got = 0; got < marked.byteLength;) {
      const chunk = await file.read(10_000);
      chunks.push(chunk);
      got += chunk.byteLength;
    }
    expectBytes(Buffer.concat(chunks).subarray(0, marked.byteLength), marked);
    const [a, b] = await file.readRanges([
      { offset: AT + 100, length: 50 },
      { offset: AT + 4000, length: 50 },
    ]);
    expectBytes(a!, marked.subarray(100, 150));
    expectBytes(b!, marked.subarray(4000, 4050));
  });
});
