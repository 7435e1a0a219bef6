import { describe, expect, it } from 'vitest';
import { IOError } from '../../src/errors.js';
import { HttpFile } from '../../src/remote/http-file.js';
import { Limiter } from '../../src/remote/limiter.js';
import { backoffDelay, parseRetryAfter, retryPolicy } from '../../src/remote/retry.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { expectBytes } from './expect-bytes.js';

/** An in-memory HTTP server as a fetch: HEAD and ranged GET of one resource, with hooks. */
function fakeServer(data: Uint8Array, options: { etag?: () => string; delayMs?: number } = {}) {
  let inFlight = 0;
  let maxInFlight = 0;
  const ranges: string[] = [];
  const fetch: FetchLike = async (_input, init) => {
    const headers = new Headers(init?.headers);
    const etag = options.etag?.() ?? '"v1"';
    if (init?.method === 'HEAD') {
      return new Response(null, {
        status: 200,
        headers: { 'content-length': String(data.byteLength), 'accept-ranges': 'bytes', etag },
      });
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
      const range = /bytes=(\d+)-(\d+)/.exec(headers.get('range') ?? '')!;
      ranges.push(range[0]);
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), data.byteLength - 1);
      return new Response(data.slice(start, end + 1), {
        status: 206,
        headers: { 'content-range': `bytes ${start}-${end}/${data.byteLength}`, etag },
      });
    } finally {
      inFlight--;
    }
  };
  return { fetch, ranges, maxInFlight: () => maxInFlight };
}

describe('remote reads (in-memory HTTP)', () => {
  it('runs at most `concurrency` requests at once for many far-apart ranges', async () => {
    const data = randomBytes(1_000_000, 2);
    const server = fakeServer(data, { delayMs: 5 });
    await using file = await HttpFile.open('http://fake/data', { fetch: server.fetch, concurrency: 3 });
    const ranges = Array.from({ length: 12 }, (_, i) => ({ offset: i * 80_000, length: 100 }));
    const parts = await file.readRanges(ranges);
    parts.forEach((part, i) => expectBytes(part, data.subarray(i * 80_000, i * 80_000 + 100)));
    expect(server.ranges).toHaveLength(12);
    expect(server.maxInFlight()).toBe(3);
  });

  it('splits merged requests at rangeSizeLimit', async () => {
    const data = randomBytes(100_000, 3);
    const server = fakeServer(data);
    await using file = await HttpFile.open('http://fake/data', { fetch: server.fetch, rangeSizeLimit: 1000, holeSizeLimit: 100 });
    await file.readRanges(Array.from({ length: 10 }, (_, i) => ({ offset: i * 500, length: 400 })));
    expect(server.ranges).toEqual(['bytes=0-899', 'bytes=1000-1899', 'bytes=2000-2899', 'bytes=3000-3899', 'bytes=4000-4899']);
  });

  it('clamps ranges past the end and returns empty arrays for empty ranges', async () => {
    const data = randomBytes(1000, 4);
    const server = fakeServer(data);
    await using file = await HttpFile.open('http://fake/data', { fetch: server.fetch });
    const [tail, empty, past] = await file.readRanges([
      { offset: 990, length: 50 },
      { offset: 10, length: 0 },
      { offset: 2000, length: 5 },
    ]);
    expectBytes(tail!, data.subarray(990));
    expect(empty!.byteLength).toBe(0);
    expect(past!.byteLength).toBe(0);
  });

  it('throws ESTALE when an answer carries another ETag, even if the server ignored If-Match', async () => {
    let version = '"v1"';
    const server = fakeServer(randomBytes(1000, 5), { etag: () => version });
    await using file = await HttpFile.open('http://fake/data', { fetch: server.fetch, readAhead: 0 });
    await file.readAt(0, 10);
    version = '"v2"';
    await expect(file.readAt(10, 10)).rejects.toMatchObject({ code: 'ESTALE' });
  });

  it('names the bad value when given a bad option', async () => {
    const server = fakeServer(new Uint8Array(10));
    await expect(HttpFile.open('http://fake/data', { fetch: server.fetch, readAhead: -1 })).rejects.toThrow(/readAhead/);
    await expect(HttpFile.open('http://fake/data', { fetch: server.fetch, retry: { retries: 1.5 } })).rejects.toThrow(
      /retry\.retries/,
    );
  });

  it('a failed willNeed prefetch is forgotten: the read asks again and succeeds', async () => {
    const data = randomBytes(50_000, 6);
    const server = fakeServer(data);
    let failNext = true;
    const flaky: FetchLike = async (input, init) => {
      if (init?.method !== 'HEAD' && failNext) {
        failNext = false;
        return new Response('no', { status: 404 });
      }
      return server.fetch(input, init);
    };
    await using file = await HttpFile.open('http://fake/data', { fetch: flaky, readAhead: 0 });
    file.willNeed([{ offset: 100, length: 1000 }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expectBytes(await file.readAt(100, 1000), data.subarray(100, 1100));
  });
});

describe('retry helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('backs off exponentially up to maxDelay, with jitter below the cap', () => {
    const policy = retryPolicy({ baseDelay: 100, maxDelay: 1000 });
    expect(backoffDelay(policy, 0, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, () => 0.999)).toBe(799);
    expect(backoffDelay(policy, 10, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 10, () => 0)).toBe(0);
  });
});

describe('Limiter', () => {
  it('never runs more than its limit and runs everything', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        limiter
          .run(async () => {
            running++;
            peak = Math.max(peak, running);
            await new Promise((resolve) => setTimeout(resolve, 1));
            running--;
            if (i === 4) throw new IOError('task 4 fails');
            return i;
          })
          .catch(() => -1),
      ),
    );
    expect(peak).toBe(2);
    expect(results).toEqual([0, 1, 2, 3, -1, 5, 6, 7, 8, 9]);
  });

  it('rejects a zero limit, naming it', () => {
    expect(() => new Limiter(0)).toThrow(/concurrency/);
  });
});
