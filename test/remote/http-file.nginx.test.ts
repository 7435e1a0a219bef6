import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileNotFoundError, IOError } from '../../src/errors.js';
import { HttpFile } from '../../src/remote/http-file.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { expectBytes } from './expect-bytes.js';
import { hasNginx, NGINX, startNginx, type NginxServer } from '../servers/nginx.js';

if (!hasNginx) console.warn(`HttpFile nginx tests skipped: ${NGINX} is not installed (apt-get install nginx)`);

/** A fetch that records each request's method, headers and URL. */
function recordingFetch(): { fetch: FetchLike; requests: Array<{ method: string; headers: Headers; url: string }> } {
  const requests: Array<{ method: string; headers: Headers; url: string }> = [];
  return {
    requests,
    fetch: (input, init) => {
      requests.push({ method: init?.method ?? 'GET', headers: new Headers(init?.headers), url: String(input) });
      return fetch(input, init);
    },
  };
}

describe.skipIf(!hasNginx)('HttpFile against nginx', () => {
  let server: NginxServer;
  const data = randomBytes(3 * 1024 * 1024 + 17, 7);
  beforeAll(async () => {
    server = await startNginx();
    writeFileSync(join(server.root, 'data.bin'), data);
    mkdirSync(join(server.root, 'norange'));
    writeFileSync(join(server.root, 'norange', 'small.bin'), data.subarray(0, 1000));
    writeFileSync(join(server.root, 'norange', 'large.bin'), data);
  });
  afterAll(async () => server?.stop());

  it('learns the size from HEAD and reads any range exactly', async () => {
    await using file = await HttpFile.open(`${server.url}data.bin`);
    expect(await file.size()).toBe(data.byteLength);
    expect(file.seek(-10, 2)).toBe(data.byteLength - 10);
    expect(await file.read()).toEqual(data.subarray(-10));
    expectBytes(await file.readAt(123_456, 100_000), data.subarray(123_456, 223_456));
    expect(await file.readAt(data.byteLength - 5, 100)).toEqual(data.subarray(-5));
    expect((await file.readAt(data.byteLength + 5, 100)).byteLength).toBe(0);
    expect(file.validator.etag).toMatch(/^"/);
  });

  it('readRanges of overlapping ranges gives independent bytes, as do reads of one prefetched range', async () => {
    await using file = await HttpFile.open(`${server.url}data.bin`, { readAhead: 0 });
    const [a, b, c] = await file.readRanges([
      { offset: 100, length: 10 },
      { offset: 105, length: 10 },
      { offset: 100, length: 10 },
    ]);
    a!.fill(0xee);
    expectBytes(b!, data.subarray(105, 115));
    expectBytes(c!, data.subarray(100, 110));
    file.willNeed([
      { offset: 5000, length: 100 },
      { offset: 5050, length: 100 },
    ]);
    const [d, e] = await Promise.all([file.readAt(5000, 100), file.readAt(5050, 100)]);
    d.fill(0xee);
    expectBytes(e, data.subarray(5050, 5150));
  });

  it('reads the whole file sequentially with few requests thanks to read-ahead', async () => {
    const recorder = recordingFetch();
    await using file = await HttpFile.open(`${server.url}data.bin`, { fetch: recorder.fetch, readAhead: 1024 * 1024 });
    const chunks: Uint8Array[] = [];
    for await (const chunk of file) chunks.push(chunk);
    expectBytes(Buffer.concat(chunks), data);
    // 64 KiB chunks, 1 MiB read-ahead: a HEAD and 4 GETs, not 49.
    expect(recorder.requests.length).toBeLessThanOrEqual(6);
  });

  it('sends every read conditional on the ETag seen at open', async () => {
    const recorder = recordingFetch();
    await using file = await HttpFile.open(`${server.url}data.bin`, { fetch: recorder.fetch });
    await file.readAt(1000, 10);
    const get = recorder.requests.find((r) => r.method === 'GET')!;
    expect(get.headers.get('if-match')).toBe(file.validator.etag);
    expect(get.headers.get('range')).toMatch(/^bytes=1000-/);
  });

  it('throws ESTALE when the file is replaced between reads', async () => {
    const path = join(server.root, 'changing.bin');
    writeFileSync(path, data);
    await using file = await HttpFile.open(`${server.url}changing.bin`, { readAhead: 0 });
    expect(await file.readAt(0, 1000)).toEqual(data.subarray(0, 1000));
    writeFileSync(path, randomBytes(data.byteLength, 99));
    utimesSync(path, new Date(), new Date(Date.now() + 5000)); // a new mtime even within the same second
    const error = await file.readAt(2000, 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IOError);
    expect((error as IOError).code).toBe('ESTALE');
    expect((error as IOError).message).toContain('changing.bin');
  });

  it('coalesces nearby ranges into one request and keeps them in order', async () => {
    const recorder = recordingFetch();
    await using file = await HttpFile.open(`${server.url}data.bin`, { fetch: recorder.fetch });
    const ranges = [5000, 1000, 3000, 2_500_000].map((offset) => ({ offset, length: 1500 }));
    const parts = await file.readRanges(ranges);
    parts.forEach((part, i) => expect(part).toEqual(data.subarray(ranges[i]!.offset, ranges[i]!.offset + 1500)));
    // Three ranges within 8 KiB of each other make one GET, the far one another.
    expect(recorder.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it('serves reads hinted with willNeed from the prefetch, without another request', async () => {
    const recorder = recordingFetch();
    await using file = await HttpFile.open(`${server.url}data.bin`, { fetch: recorder.fetch, readAhead: 0 });
    file.willNeed([
      { offset: 100_000, length: 4000 },
      { offset: 106_000, length: 4000 },
    ]);
    const before = recorder.requests.length;
    expect(await file.readAt(106_000, 4000)).toEqual(data.subarray(106_000, 110_000));
    expect(await file.readAt(100_000, 4000)).toEqual(data.subarray(100_000, 104_000));
    expect(recorder.requests.length).toBe(before);
  });

  it('throws FileNotFoundError for a missing file', async () => {
    const error = await HttpFile.open(`${server.url}missing.bin`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileNotFoundError);
    expect((error as Error).message).toContain('missing.bin');
  });

  it('reads a small file whole from a server that ignores Range', async () => {
    await using file = await HttpFile.open(`${server.url}norange/small.bin`);
    expect(await file.size()).toBe(1000);
    expect(await file.readAt(500, 10)).toEqual(data.subarray(500, 510));
  });

  it('refuses a large file on a server that ignores Range, saying why', async () => {
    const error = await HttpFile.open(`${server.url}norange/large.bin`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IOError);
    expect((error as IOError).code).toBe('ENOTSUP');
    expect((error as Error).message).toMatch(/ignores Range/);
  });

  it('rejects arguments that are not a URL', async () => {
    await expect(HttpFile.open(42 as unknown as string)).rejects.toThrow(TypeError);
  });
});
