import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IOError } from '../../src/errors.js';
import { HttpFile } from '../../src/remote/http-file.js';
import { randomBytes } from '../helpers.js';
import { startFaultProxy, type FaultProxy } from '../servers/fault-proxy.js';
import { hasNginx, startNginx, type NginxServer } from '../servers/nginx.js';
import { expectBytes } from './expect-bytes.js';

const fast = { retries: 3, baseDelay: 5, maxDelay: 2000 };

describe.skipIf(!hasNginx)('HttpFile through a faulty network', () => {
  let server: NginxServer;
  let proxy: FaultProxy;
  const data = randomBytes(2 * 1024 * 1024, 11);
  beforeAll(async () => {
    server = await startNginx();
    writeFileSync(join(server.root, 'data.bin'), data);
    proxy = await startFaultProxy(server.url);
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });
  beforeEach(() => {
    proxy.reset();
    proxy.latencyMs = 0;
    proxy.plan = () => ({ kind: 'pass' });
  });

  it('resumes a body cut off mid-way from the last byte received', async () => {
    await using file = await HttpFile.open(`${proxy.url}data.bin`, { retry: fast, readAhead: 0 });
    proxy.reset(); // count reads only, not the HEAD of open
    const ranges: string[] = [];
    proxy.plan = (i, req) => {
      ranges.push(String(req.headers.range));
      return i === 0 ? { kind: 'cut', after: 300_000 } : { kind: 'pass' };
    };
    expectBytes(await file.readAt(100_000, 1_500_000), data.subarray(100_000, 1_600_000));
    // The retry asks only for what was missing.
    expect(ranges[0]).toBe('bytes=100000-1599999');
    expect(ranges[1]).toMatch(/^bytes=(\d+)-1599999$/);
    expect(Number(/=(\d+)-/.exec(ranges[1]!)![1])).toBeGreaterThan(100_000);
    expect(ranges).toHaveLength(2);
  });

  it('waits as Retry-After asks after a 503, then reads the right bytes', async () => {
    await using file = await HttpFile.open(`${proxy.url}data.bin`, { retry: fast, readAhead: 0 });
    proxy.reset(); // count reads only, not the HEAD of open
    const times: number[] = [];
    proxy.plan = (i) => {
      times.push(Date.now());
      return i === 0 ? { kind: 'status', status: 503, retryAfter: 1 } : { kind: 'pass' };
    };
    expectBytes(await file.readAt(5, 1000), data.subarray(5, 1005));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('reads the right bytes through cuts and 5xx answers with latency', async () => {
    proxy.latencyMs = 5;
    await using file = await HttpFile.open(`${proxy.url}data.bin`, { retry: fast, readAhead: 64 * 1024 });
    proxy.reset(); // count reads only, not the HEAD of open
    proxy.plan = (i) =>
      i % 3 === 1 ? { kind: 'cut', after: 10_000 } : i % 3 === 2 ? { kind: 'status', status: 502 } : { kind: 'pass' };
    const parts = await file.readRanges([
      { offset: 0, length: 100_000 },
      { offset: 1_000_000, length: 200_000 },
      { offset: 2_000_000, length: 97_152 },
    ]);
    expectBytes(parts[0]!, data.subarray(0, 100_000));
    expectBytes(parts[1]!, data.subarray(1_000_000, 1_200_000));
    expectBytes(parts[2]!, data.subarray(2_000_000));
    expectBytes(await file.read(), data);
  });

  it('gives up after the retry budget with the status and URL in the error', async () => {
    await using file = await HttpFile.open(`${proxy.url}data.bin`, { retry: fast });
    proxy.reset(); // count reads only, not the HEAD of open
    proxy.plan = () => ({ kind: 'status', status: 503 });
    const error = await file.readAt(0, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IOError);
    expect((error as IOError).code).toBe('EREMOTE');
    expect((error as Error).message).toMatch(/gave up after 4 attempts.*HTTP 503.*data\.bin/);
    expect(proxy.requests).toBe(4);
  });

  it('a close while a read waits to retry ends the wait: the read fails with its last error, no attempt follows', async () => {
    const file = await HttpFile.open(`${proxy.url}data.bin`, { retry: fast });
    proxy.reset(); // count reads only, not the HEAD of open
    proxy.plan = () => ({ kind: 'status', status: 503, retryAfter: 2 }); // two seconds between attempts
    const reading = file.readAt(0, 10).catch((error: unknown) => error);
    while (proxy.requests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await file.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await reading).toMatchObject({
      code: 'EREMOTE',
      message: expect.stringMatching(/HTTP 503.*not retried: the file is closing/),
    });
    expect(proxy.requests).toBe(1);
  });

  it('gives up at once when Retry-After is longer than maxDelay', async () => {
    await using file = await HttpFile.open(`${proxy.url}data.bin`, { retry: fast });
    proxy.reset(); // count reads only, not the HEAD of open
    proxy.plan = () => ({ kind: 'status', status: 429, retryAfter: 3600 });
    await expect(file.readAt(0, 10)).rejects.toThrow(/retry after 3600000 ms/);
    expect(proxy.requests).toBe(1);
  });

  it('maps 401/403 to EACCES without retrying', async () => {
    await using file = await HttpFile.open(`${proxy.url}data.bin`, { retry: fast });
    proxy.reset(); // count reads only, not the HEAD of open
    proxy.plan = () => ({ kind: 'status', status: 403 });
    await expect(file.readAt(0, 10)).rejects.toMatchObject({ code: 'EACCES' });
    expect(proxy.requests).toBe(1);
  });

  it('an AbortSignal cancels reads in flight with its reason, and later reads too', async () => {
    const controller = new AbortController();
    await using file = await HttpFile.open(`${proxy.url}data.bin`, { signal: controller.signal, readAhead: 0 });
    proxy.reset(); // count reads only, not the HEAD of open
    proxy.latencyMs = 2000;
    const reading = file.readAt(0, 1000);
    const ranging = file.readRanges([
      { offset: 0, length: 10 },
      { offset: 1_000_000, length: 10 },
    ]);
    const reason = new Error('user went away');
    setTimeout(() => controller.abort(reason), 50);
    const started = Date.now();
    await expect(reading).rejects.toBe(reason);
    await expect(ranging).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1500);
    await expect(file.readAt(0, 10)).rejects.toBe(reason);
  });

  it('an aborted signal at open rejects with its reason', async () => {
    const reason = new Error('never mind');
    await expect(HttpFile.open(`${proxy.url}data.bin`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('leaves no promise unhandled when the body of a refused answer already failed', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const failedBody = (): ReadableStream<Uint8Array> =>
        new ReadableStream({ start: (controller) => controller.error(new Error('the body failed')) });
      const answers: Array<(init: RequestInit | undefined) => Response> = [
        // The open probe: a HEAD without Accept-Ranges, then byte 0 answered 206 with a failed body.
        () => new Response(null, { status: 200, headers: { 'content-length': '10', etag: '"a"' } }),
        () => new Response(failedBody(), { status: 206, headers: { 'content-range': 'bytes 0-0/10', etag: '"a"' } }),
        // A read answered with another ETag (ESTALE), then one that ignores Range (ENOTSUP).
        () => new Response(failedBody(), { status: 206, headers: { 'content-range': 'bytes 0-4/10', etag: '"b"' } }),
        () => new Response(failedBody(), { status: 200, headers: { etag: '"a"' } }),
      ];
      let call = 0;
      const file = await HttpFile.open('http://127.0.0.1:9/x.bin', {
        fetch: async (_input, init) => answers[call++]!(init),
        retry: { retries: 0 },
        readAhead: 0,
      });
      await expect(file.readAt(0, 5)).rejects.toMatchObject({ code: 'ESTALE' });
      await expect(file.readAt(0, 5)).rejects.toMatchObject({ code: 'ENOTSUP' });
      await file.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
