/**
 * The backend of an output stream that uploads in parts and commits at the end (Azure's
 * staged blocks; the shape of S3's multipart uploads too). Written bytes fill a part
 * buffer; each full part is sent while the next fills, with a bounded number in flight, so
 * memory stays at about `(maxInFlight + 1) × partSize` whatever the object's size. The
 * object appears only when `close()` commits; a failure or `abort()` discards what was
 * sent, even if the caller never closes.
 * @module
 */
import { IOError } from '../errors.js';
import type { UnderlyingFile } from '../io/core/underlying.js';
import { asError } from './body-reader.js';

/** The store's side of a parted upload. */
export interface PartTarget {
  /** The object's name, for messages. */
  readonly name: string;
  /** Sends part `index` (0-based, in the order written; several run at once). */
  sendPart(index: number, bytes: Uint8Array<ArrayBuffer>, signal: AbortSignal): Promise<void>;
  /** Makes parts `0 … count - 1` the object (count may be 0), once every part has been sent. */
  commit(count: number, signal: AbortSignal): Promise<void>;
  /** Discards what was sent; called at most once, after every part in flight has settled. */
  discard(sent: number): Promise<void>;
}

/** How parts are cut and sent. */
export interface PartOptions {
  /** Bytes per part (the last one smaller). */
  readonly partSize: number;
  /** Parts sent at once. */
  readonly maxInFlight: number;
}

/** The part buffer starts this small and doubles up to `partSize`, so small objects cost little memory. */
const FIRST_BUFFER = 64 * 1024;

/** A parted upload to `target`, as an {@link UnderlyingFile}. */
export function partedUpload(target: PartTarget, options: PartOptions): UnderlyingFile {
  const controller = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let part: Uint8Array<ArrayBuffer> | undefined;
  let filled = 0;
  let written = 0;
  let parts = 0;
  let failure: unknown;
  let discarding: Promise<void> | undefined;

  const discard = (): Promise<void> => {
    discarding ??= (async () => {
      // Parts in flight finish first: a part landing after the discard would stay behind.
      await Promise.allSettled([...inFlight]);
      controller.abort(failure ?? new IOError(`upload to ${target.name} aborted`, { code: 'EABORT' }));
      await target.discard(parts);
    })();
    return discarding;
  };

  const throwIfFailed = async (): Promise<void> => {
    if (failure === undefined) return;
    await discard().catch(() => {});
    throw asError(failure);
  };

  const send = async (bytes: Uint8Array<ArrayBuffer>): Promise<void> => {
    while (inFlight.size >= options.maxInFlight) await Promise.race(inFlight).catch(() => {});
    await throwIfFailed();
    const upload = target.sendPart(parts++, bytes, controller.signal);
    inFlight.add(upload);
    upload.then(
      () => inFlight.delete(upload),
      (error: unknown) => {
        inFlight.delete(upload);
        failure ??= error;
        void discard().catch(() => {});
      },
    );
  };

  /** Room for `count` more bytes in the part buffer (grown by doubling, never past partSize). */
  const room = (count: number): Uint8Array<ArrayBuffer> => {
    part ??= new Uint8Array(Math.min(options.partSize, FIRST_BUFFER));
    if (part.byteLength < options.partSize && filled + count > part.byteLength) {
      let size = part.byteLength;
      while (size < filled + count && size < options.partSize) size *= 2;
      const grown = new Uint8Array(Math.min(size, options.partSize));
      grown.set(part.subarray(0, filled));
      part = grown;
    }
    return part;
  };

  return {
    async write(bytes) {
      await throwIfFailed();
      let done = 0;
      while (done < bytes.byteLength) {
        const buffer = room(bytes.byteLength - done);
        const count = Math.min(bytes.byteLength - done, buffer.byteLength - filled);
        buffer.set(bytes.subarray(done, done + count), filled);
        filled += count;
        done += count;
        written += count;
        if (filled === options.partSize) {
          part = undefined;
          filled = 0;
          await send(buffer);
        }
      }
    },
    size: () => written,
    async flush() {
      // Parts are whole or not at all, and nothing is visible before the commit: flushing
      // waits for the parts in flight, nothing more.
      await Promise.allSettled([...inFlight]);
      await throwIfFailed();
    },
    async close() {
      try {
        await throwIfFailed();
        if (filled > 0) await send(part!.subarray(0, filled));
        part = undefined;
        await Promise.allSettled([...inFlight]);
        await throwIfFailed();
        await target.commit(parts, controller.signal);
      } catch (error) {
        failure ??= error;
        await discard().catch(() => {});
        throw error;
      }
    },
    async abort(reason) {
      part = undefined;
      failure ??=
        reason instanceof Error ? reason : new IOError(`upload to ${target.name} aborted`, { code: 'EABORT', cause: reason });
      await discard();
    },
  };
}
