/**
 * The backend ({@link UnderlyingFile}) of every remote random-access file: positional reads
 * straight into the caller's memory, read-ahead for sequential reads, and coalesced,
 * concurrent `readRanges` / `willNeed`. HttpFile, S3 and WebHDFS files differ only in
 * their {@link RangeTransport}.
 * @module
 */
import { ClosedFileError, IOError } from '../errors.js';
import type { ByteRange, UnderlyingFile } from '../io/core/underlying.js';
import { checkSize } from '../util/validate.js';
import { coalesceLimits, type CoalesceOptions } from './coalesce.js';
import { Limiter } from './limiter.js';
import { readRangeInto, type ReadContext } from './range-reader.js';
import { ReadRangeCache } from './read-range-cache.js';
import { retryPolicy, type RetryOptions } from './retry.js';
import { anySignal } from './signals.js';
import type { RangeTransport } from './transport.js';

/** Options shared by every remote random-access file. */
export interface RemoteReadOptions extends CoalesceOptions {
  /**
   * Bytes fetched at once when a read continues the previous one, so small sequential
   * reads do not each cost a round trip. Default 1 MiB; 0 turns it off.
   */
  readAhead?: number;
  /** How failed requests are retried. */
  retry?: RetryOptions;
  /** The most requests one file has in flight. Default 8. */
  concurrency?: number;
  /** Aborts every request of the file, in flight or later, with the signal's reason. */
  signal?: AbortSignal;
}

/** Default {@link RemoteReadOptions.readAhead}. */
export const DEFAULT_READ_AHEAD = 1024 * 1024;

/** The bytes already fetched from where sequential reads go on. */
interface ReadAhead {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/**
 * A remote file's backend.
 * @param transport how to ask the store for bytes.
 * @param size the object's size, known since open.
 * @param first bytes already fetched at open (a probe), kept as read-ahead.
 */
export function remoteReader(
  transport: RangeTransport,
  size: number,
  options: RemoteReadOptions = {},
  first?: ReadAhead,
): UnderlyingFile {
  const readAhead = checkSize(options.readAhead ?? DEFAULT_READ_AHEAD, 'readAhead');
  const limiter = new Limiter(options.concurrency ?? 8);
  const closer = new AbortController();
  const closing = new AbortController();
  const context: ReadContext = {
    transport,
    size,
    retry: retryPolicy(options.retry),
    signal: anySignal([options.signal, closer.signal]),
    closing: closing.signal,
  };
  // Once a read fails after close() was asked, the server is not answering: reads still
  // waiting for a request slot fail at once instead of each waiting out an attempt.
  let failedWhileClosing: IOError | undefined;
  const read = async (offset: number, into: Uint8Array): Promise<void> => {
    if (failedWhileClosing !== undefined) {
      throw new IOError(`not read: ${transport.name} is closing and a read before this one failed`, {
        code: failedWhileClosing.code,
        cause: failedWhileClosing,
      });
    }
    try {
      await readRangeInto(context, offset, into);
    } catch (error) {
      if (closing.signal.aborted && error instanceof IOError) failedWhileClosing ??= error;
      throw error;
    }
  };
  const fetchRange = (offset: number, length: number): Promise<Uint8Array> =>
    limiter.run(async () => {
      const out = new Uint8Array(length);
      await read(offset, out);
      return out;
    });
  const cache = new ReadRangeCache(fetchRange, coalesceLimits(options));
  let ahead: ReadAhead | undefined = first;
  let lastEnd = first === undefined ? 0 : -1;
  const clamp = (ranges: readonly ByteRange[]): ByteRange[] =>
    ranges.map(({ offset, length }) => ({ offset, length: Math.max(0, Math.min(length, size - offset)) }));

  return {
    size: () => size,
    async readAt(position, into) {
      if (position >= size) return 0;
      const wanted = Math.min(into.byteLength, size - position);
      const view = into.subarray(0, wanted);
      const buffered = ahead;
      if (buffered !== undefined && position >= buffered.offset && position < buffered.offset + buffered.bytes.byteLength) {
        const from = buffered.bytes.subarray(position - buffered.offset, position - buffered.offset + wanted);
        view.set(from);
        lastEnd = position + from.byteLength;
        return from.byteLength;
      }
      const cached = cache.cached({ offset: position, length: wanted });
      if (cached !== undefined) {
        view.set(await cached);
      } else if (position === lastEnd && wanted < readAhead) {
        const bytes = await fetchRange(position, Math.min(readAhead, size - position));
        ahead = { offset: position, bytes };
        view.set(bytes.subarray(0, wanted));
      } else {
        await limiter.run(() => read(position, view));
      }
      lastEnd = position + wanted;
      return wanted;
    },
    readRanges: (ranges) => cache.readRanges(clamp(ranges)),
    willNeed: (ranges) => cache.willNeed(clamp(ranges)),
    // Reads issued before close() still get their bytes, but a failed attempt is their last:
    // else a server that stopped answering held close() for every retry (minutes by default).
    interrupt() {
      closing.abort();
    },
    close() {
      // Prefetches nobody waits for any more stop now; the core has already drained the reads.
      closer.abort(new ClosedFileError(`${transport.name} was closed`));
      cache.clear();
      ahead = undefined;
    },
  };
}
