/**
 * The backend of every output stream that uploads in parts and commits at the end (S3's
 * multipart uploads, Azure's staged blocks). Written bytes fill a part buffer; each full part
 * is sent while the next fills, with a bounded number in flight, so memory stays at about
 * `(maxInFlight + 1) × partSize` whatever the object's size. The object appears only when
 * `close()` commits. A Blob given to `upload` has its whole parts sent as slices of itself,
 * which `fetch` streams from wherever the Blob keeps its bytes (a picked file's disk).
 *
 * An ordinary upload is discarded by a failure or `abort()`, even if the caller never
 * closes. A resumable one (`resume`) outlives failures and suspension: the parts done from
 * the first on, without a gap, are durable, `onDurable` is told each time they grow, and
 * only `abort()` discards it.
 * @module
 */
import { IOError } from '../errors.js';
import type { UnderlyingFile } from '../io/core/underlying.js';
import { asError } from './body-reader.js';

/** What a part's bytes are: memory, or a slice of a Blob. */
export type PartBody = Uint8Array<ArrayBuffer> | Blob;

/** The store's side of a parted upload. */
export interface PartTarget {
  /** The object's name, for messages. */
  readonly name: string;
  /** The most parts the store puts in one object (S3 10,000, Azure 50,000 blocks). */
  readonly maxParts: number;
  /** Sends part `index` (0-based; several run at once); resolves to its id (ETag, block id). */
  sendPart(index: number, body: PartBody, signal: AbortSignal): Promise<string>;
  /** Makes the parts with these ids, in order, the object (there may be none), once all are sent. */
  commit(ids: readonly string[], signal: AbortSignal): Promise<void>;
  /** Discards what was sent (`sent` parts); called at most once, after every part in flight settled. */
  discard(sent: number): Promise<void>;
  /** Writes an object that never filled a part in one request (S3's PutObject); else it is committed as one part. */
  putWhole?(bytes: Uint8Array<ArrayBuffer>, signal: AbortSignal): Promise<void>;
}

/** How parts are cut and sent. */
export interface PartOptions {
  /** Bytes per part (the last one smaller). */
  readonly partSize: number;
  /** Parts sent at once. */
  readonly maxInFlight: number;
}

/** Options of {@link partedUpload}. */
export interface PartedUploadOptions extends PartOptions {
  /** Make the upload resumable, with these parts (their ids, all whole) durable already. */
  readonly resume?: readonly string[];
  /** Told each time the durable parts grow: the whole ones' ids, and the bytes durable. */
  readonly onDurable?: (wholeIds: readonly string[], bytes: number) => void;
  /** How long a discard lets the parts in flight finish before it cancels them, in ms. Default 5000. */
  readonly discardGrace?: number;
}

/** What a stream asks of its upload besides the backend calls. */
export interface PartedUploadControl {
  /** The ids of the whole parts durable, from the first on (a resume starts after them). */
  wholeIds(): readonly string[];
  /** The bytes durable, a short last part included. */
  durableBytes(): number;
  /** Stops sending at once, cancelling the parts in flight (to suspend a resumable upload). */
  cancel(): void;
}

/** The reason `abort` is given to suspend a resumable upload rather than discard it. */
export const SUSPEND: unique symbol = Symbol('suspend the upload');

/** The part buffer starts this small and doubles up to `partSize`, so small objects cost little memory. */
const FIRST_BUFFER = 64 * 1024;

/** A parted upload to `target`, as an {@link UnderlyingFile}, and its control. */
export function partedUpload(
  target: PartTarget,
  options: PartedUploadOptions,
): { underlying: UnderlyingFile; control: PartedUploadControl } {
  const { partSize, resume } = options;
  const controller = new AbortController();
  const inFlight = new Set<Promise<void>>();
  // Each part's id by index, '' while it is in flight, and its size.
  const ids: string[] = [...(resume ?? [])];
  const sizes: number[] = ids.map(() => partSize);
  let durable = ids.length;
  let durableBytes = durable * partSize;
  let part: Uint8Array<ArrayBuffer> | undefined;
  let filled = 0;
  let written = durableBytes;
  let failure: unknown;
  let discarding: Promise<void> | undefined;

  const wholeIds = (): string[] => ids.slice(0, durable > 0 && sizes[durable - 1] !== partSize ? durable - 1 : durable);

  /** Advances the durable prefix past the parts now done, and says so. */
  const advance = (): void => {
    const before = durable;
    while (durable < ids.length && ids[durable] !== '') durableBytes += sizes[durable++]!;
    if (durable > before) options.onDurable?.(wholeIds(), durableBytes);
  };

  const discard = (): Promise<void> => {
    discarding ??= (async () => {
      // Parts in flight settle before the discard: one the store finishes after it would stay
      // behind (S3 keeps a part that lands after an abort). They get a grace to finish; then
      // they are cancelled: a part's timeout grows with its size (src/remote/request.ts) and
      // may be minutes, or a store's client may have none, and abort() waits for neither.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.discardGrace ?? 5000)));
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      clearTimeout(timer);
      controller.abort(failure ?? new IOError(`upload to ${target.name} aborted`, { code: 'EABORT' }));
      await Promise.allSettled([...inFlight]);
      await target.discard(ids.length);
    })();
    return discarding;
  };

  const cancel = (): void => {
    failure ??= new IOError(`upload to ${target.name} suspended`, { code: 'EABORT' });
    controller.abort(failure);
  };

  const throwIfFailed = async (): Promise<void> => {
    if (failure === undefined) return;
    // A resumable upload stays on the store, to be resumed.
    if (resume === undefined) await discard().catch(() => {});
    throw asError(failure);
  };

  /** Waits until another part may go (fewer than `maxInFlight` in flight), or `signal` aborts. */
  const slot = async (signal?: AbortSignal): Promise<void> => {
    let stop = (): void => {};
    const aborted = new Promise<void>((resolve) => (stop = resolve));
    signal?.addEventListener('abort', stop, { once: true });
    try {
      while (inFlight.size >= options.maxInFlight && signal?.aborted !== true)
        await Promise.race([...inFlight, aborted]).catch(() => {});
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    signal?.throwIfAborted();
    await throwIfFailed();
  };

  const send = async (body: PartBody): Promise<void> => {
    await slot();
    const index = ids.length;
    ids.push('');
    sizes.push(body instanceof Uint8Array ? body.byteLength : body.size);
    const upload = (async () => {
      // Refused before sending: an upload past the store's limit could never be committed.
      if (index >= target.maxParts) {
        throw new IOError(
          `${target.name} would need more than ${target.maxParts} parts of ${partSize} bytes: upload it with a larger part size`,
          { code: 'EFBIG' },
        );
      }
      ids[index] = await target.sendPart(index, body, controller.signal);
      advance();
    })();
    inFlight.add(upload);
    upload.then(
      () => inFlight.delete(upload),
      (error: unknown) => {
        inFlight.delete(upload);
        failure ??= error;
        // Nothing of a failed ordinary upload may stay behind, even if the caller never closes.
        if (resume === undefined) void discard().catch(() => {});
      },
    );
  };

  /** Room for `count` more bytes in the part buffer (grown by doubling, never past partSize). */
  const room = (count: number): Uint8Array<ArrayBuffer> => {
    part ??= new Uint8Array(Math.min(partSize, FIRST_BUFFER));
    if (part.byteLength < partSize && filled + count > part.byteLength) {
      let size = part.byteLength;
      while (size < filled + count && size < partSize) size *= 2;
      const grown = new Uint8Array(Math.min(size, partSize));
      grown.set(part.subarray(0, filled));
      part = grown;
    }
    return part;
  };

  const write = async (bytes: Uint8Array): Promise<void> => {
    await throwIfFailed();
    let done = 0;
    while (done < bytes.byteLength) {
      const buffer = room(bytes.byteLength - done);
      const count = Math.min(bytes.byteLength - done, buffer.byteLength - filled);
      buffer.set(bytes.subarray(done, done + count), filled);
      filled += count;
      done += count;
      written += count;
      if (filled === partSize) {
        part = undefined;
        filled = 0;
        await send(buffer);
      }
    }
  };

  const underlying: UnderlyingFile = {
    write,
    size: () => written,
    uploadFrom(source, _position, told, signal) {
      if (typeof Blob === 'undefined' || !(source instanceof Blob)) return undefined;
      return (async () => {
        const size = source.size;
        let offset = 0;
        while (offset < size) {
          signal?.throwIfAborted();
          if (filled === 0 && size - offset >= partSize) {
            await slot(signal);
            written += partSize;
            await send(source.slice(offset, offset + partSize));
            offset += partSize;
          } else {
            // Up to the next part boundary, or the rest: through the part buffer.
            const count = Math.min(size - offset, partSize - filled);
            const bytes = new Uint8Array(await source.slice(offset, offset + count).arrayBuffer());
            if (bytes.byteLength !== count)
              throw new IOError(`the Blob gave ${bytes.byteLength} bytes at ${offset}, not ${count}`);
            await write(bytes);
            offset += count;
          }
          told(offset);
        }
        return size;
      })();
    },
    async flush() {
      // Parts are whole or not at all, and nothing is visible before the commit: flushing
      // waits for the parts in flight, nothing more.
      await Promise.allSettled([...inFlight]);
      await throwIfFailed();
    },
    async close() {
      try {
        await throwIfFailed();
        const rest = part === undefined ? new Uint8Array(0) : part.slice(0, filled);
        part = undefined;
        if (ids.length === 0 && resume === undefined && target.putWhole !== undefined) {
          await target.putWhole(rest, controller.signal);
          return;
        }
        if (rest.byteLength > 0) await send(rest);
        await Promise.allSettled([...inFlight]);
        await throwIfFailed();
        await target.commit(ids, controller.signal);
      } catch (error) {
        failure ??= error;
        if (resume === undefined) await discard().catch(() => {});
        throw error;
      }
    },
    async abort(reason) {
      part = undefined;
      if (reason === SUSPEND) {
        cancel();
        await Promise.allSettled([...inFlight]);
        return;
      }
      failure ??=
        reason instanceof Error ? reason : new IOError(`upload to ${target.name} aborted`, { code: 'EABORT', cause: reason });
      await discard();
    },
  };
  return { underlying, control: { wholeIds, durableBytes: () => durableBytes, cancel } };
}
