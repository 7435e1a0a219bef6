/**
 * The backend of HDFS output streams. Writes gather in memory up to `bufferSize`; each
 * flush sends them with one two-step request: CREATE for the first (replacing the file),
 * APPEND after. So the file appears at the first flush, not at open, and a stream written
 * in one go costs one CREATE. A failed send fails the stream: what it held is not in HDFS, so
 * every later write, flush and close rejects with that failure rather than report it written.
 * @module
 */
import type { UnderlyingFile } from '../../io/core/underlying.js';
import { asError } from '../../remote/body-reader.js';
import { concat } from '../../util/concat.js';
import type { WebHdfsClient } from './webhdfs-client.js';

/** How a writer starts and buffers. */
export interface HdfsWriterOptions {
  /** Whether the file exists already, so the first flush appends rather than creates. */
  readonly exists: boolean;
  /** Bytes gathered before they are sent. */
  readonly bufferSize: number;
}

/** A writer of `path`. */
export function hdfsWriter(client: WebHdfsClient, path: string, options: HdfsWriterOptions): UnderlyingFile {
  let chunks: Uint8Array<ArrayBuffer>[] = [];
  let buffered = 0;
  let written = 0;
  let exists = options.exists;
  let failure: unknown;

  const throwIfFailed = (): void => {
    if (failure !== undefined) throw asError(failure);
  };

  const send = async (force: boolean): Promise<void> => {
    throwIfFailed();
    if (buffered === 0 && (exists || !force)) return;
    const body = concat(chunks, buffered);
    try {
      if (exists) {
        await client.write('POST', path, 'APPEND', {}, body, false);
      } else {
        // overwrite=true makes a retried CREATE harmless: it writes the same bytes again.
        await client.write('PUT', path, 'CREATE', { overwrite: 'true' }, body, true);
        exists = true;
      }
    } catch (error) {
      failure = error;
      throw error;
    }
    chunks = [];
    buffered = 0;
  };

  return {
    async write(bytes) {
      throwIfFailed();
      // The caller may reuse its memory once the write resolves: keep a copy.
      chunks.push(bytes.slice());
      buffered += bytes.byteLength;
      written += bytes.byteLength;
      if (buffered >= options.bufferSize) await send(false);
    },
    size: () => written,
    flush: () => send(false),
    // Closing creates the file even when nothing was written.
    close: () => send(true),
    abort() {
      // What was flushed is in HDFS already; what was not is dropped.
      chunks = [];
      buffered = 0;
    },
  };
}
