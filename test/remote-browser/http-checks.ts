// HttpFile checks that run the same in the page and in the worker: the Node side has put
// the pattern (and a text file) on nginx; results are plain data the test asserts on.
import { HttpFile, type FetchLike } from '../../src/index.js';
import { errorData, isPattern, MiB, type ErrorData } from './pattern.js';

/** One request a file made, as the page saw it. */
export interface Seen {
  readonly method: string;
  readonly range: string | null;
  readonly status: number;
}

/** A fetch that records every request and what came back. */
export function recordingFetch(): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetchFn: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    seen.push({ method: request.method, range: request.headers.get('range'), status: response.status });
    return response;
  };
  return { fetch: fetchFn, seen };
}

/** What reading the pattern file over HTTP showed. */
export interface HttpReadResult {
  readonly size: number;
  /** Requests made by open (HEAD, and a one-byte GET when range support is not visible). */
  readonly openRequests: readonly Seen[];
  readonly etag: string | undefined;
  readonly lastModified: string | undefined;
  readonly readAtOk: boolean;
  readonly rangesOk: boolean;
  /** GETs that readRanges made for four ranges: three close together and one far away. */
  readonly rangeRequests: number;
}

/** Opens `url` (the pattern, at least 4 MiB) and reads it with readAt and readRanges. */
export async function readPatternOverHttp(url: string): Promise<HttpReadResult> {
  const { fetch, seen } = recordingFetch();
  // try/finally, not `await using`: Firefox ESR 140 has no explicit resource management.
  const file = await HttpFile.open(url, { fetch, readAhead: 0 });
  try {
    return await readPattern(file, seen);
  } finally {
    await file.close();
  }
}

async function readPattern(file: HttpFile, seen: Seen[]): Promise<HttpReadResult> {
  const openRequests = [...seen];
  const size = await file.size();
  const at = await file.readAt(MiB + 17, 100_000);
  const readAtOk = at.byteLength === 100_000 && isPattern(at, MiB + 17);
  seen.length = 0;
  const ranges = [
    { offset: 10, length: 100 },
    { offset: 2000, length: 300 },
    { offset: 7000, length: 50 },
    { offset: 3 * MiB, length: 1000 },
  ];
  const parts = await file.readRanges(ranges);
  const rangesOk =
    parts.length === ranges.length &&
    parts.every((part, i) => part.byteLength === ranges[i]!.length && isPattern(part, ranges[i]!.offset));
  return {
    size,
    openRequests,
    readAtOk,
    rangesOk,
    rangeRequests: seen.filter((s) => s.method === 'GET').length,
    etag: file.validator.etag,
    lastModified: file.validator.lastModified,
  };
}

/** The lines of a text file over HTTP: how many, and the first and last. */
export async function linesOverHttp(url: string): Promise<{ count: number; first: string; last: string }> {
  const file = await HttpFile.open(url);
  const decoder = new TextDecoder();
  let count = 0;
  let first = '';
  let last = '';
  try {
    for await (const line of file.lines()) {
      const text = decoder.decode(line);
      if (count === 0) first = text;
      last = text;
      count++;
    }
  } finally {
    await file.close();
  }
  return { count, first, last };
}

let held: HttpFile | undefined;

/** Opens `url` and reads its first bytes; the file stays open for {@link readHeld}. */
export async function openHeld(url: string): Promise<{ ok: boolean }> {
  await held?.close();
  held = await HttpFile.open(url, { readAhead: 0 });
  return { ok: isPattern(await held.readAt(0, 1000), 0) };
}

/** Reads `length` bytes at `offset` of the held file: whether they are the pattern, or the error. */
export async function readHeld(offset: number, length: number): Promise<{ ok: boolean } | { error: ErrorData }> {
  try {
    return { ok: isPattern(await held!.readAt(offset, length), offset) };
  } catch (error) {
    return { error: errorData(error) };
  } finally {
    await held?.close();
    held = undefined;
  }
}

/**
 * Opens `url` on a server that answers no preflight and reads it: open's HEAD is a simple
 * request and passes, the conditional read (If-Match needs a preflight) is refused.
 */
export async function readRefusedByCors(url: string): Promise<{ opened: boolean; error?: ErrorData }> {
  const file = await HttpFile.open(url, { readAhead: 0, retry: { retries: 1, baseDelay: 1 } });
  try {
    await file.readAt(0, 10);
    return { opened: true };
  } catch (error) {
    return { opened: true, error: errorData(error) };
  } finally {
    await file.close();
  }
}

/** What opening a missing file fails with (a 404 must reach the page, so CORS headers on errors too). */
export async function openMissing(url: string): Promise<ErrorData | undefined> {
  try {
    await (await HttpFile.open(url)).close();
    return undefined;
  } catch (error) {
    return errorData(error);
  }
}
