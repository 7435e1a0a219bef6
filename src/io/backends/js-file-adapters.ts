/**
 * How `JsFile` talks to each kind of file-like object: one backend ("adapter") per kind, and
 * the mode PyArrow would infer for an object.
 * @module
 */
import { ClosedFileError, UnsupportedOperationError } from '../../errors.js';
import { bytesOf } from '../../memory/buffer.js';
import { describe } from '../../util/validate.js';
import type { FileMode } from '../../util/file-mode.js';
import type { UnderlyingFile } from '../core/underlying.js';
import type { DuckReader, DuckWriter, FileHandleLike, NodeReadableLike, NodeWritableLike } from './js-file-like.js';

const has = (value: unknown, method: string): boolean =>
  typeof (value as Record<string, unknown> | null)?.[method] === 'function';

/** An adapter: the backend for one kind of object, and whether it has random access. */
export interface Adapter extends UnderlyingFile {
  readonly seekable: boolean;
}

export function inferMode(handle: object): FileMode {
  const declared = (handle as { mode?: unknown }).mode;
  if (typeof declared === 'string') return declared.includes('r') ? 'rb' : 'wb';
  if (isFileHandle(handle)) return 'rb';
  if (isNodeReadable(handle)) return 'rb';
  if (isNodeWritable(handle)) return 'wb';
  if (has(handle, 'read')) return 'rb';
  if (has(handle, 'write')) return 'wb';
  throw new TypeError(`handle must be a file-like object with read() or write(), got ${describe(handle)}`);
}

function isFileHandle(value: object): value is FileHandleLike {
  return typeof (value as FileHandleLike).fd === 'number' && has(value, 'stat') && has(value, 'read');
}

function isNodeReadable(value: object): value is NodeReadableLike {
  return has(value, 'pipe') && Symbol.asyncIterator in value && typeof (value as NodeReadableLike).readable === 'boolean';
}

function isNodeWritable(value: object): value is NodeWritableLike {
  return has(value, 'end') && has(value, 'write') && typeof (value as NodeWritableLike).writable === 'boolean';
}

export function adapterFor(handle: object, mode: FileMode): Adapter {
  if (isFileHandle(handle)) return fileHandleAdapter(handle, mode);
  if (mode === 'rb' && isNodeReadable(handle)) return chunkReaderAdapter(handle[Symbol.asyncIterator](), () => handle.destroy());
  if (mode !== 'rb' && isNodeWritable(handle)) return nodeWritableAdapter(handle);
  if (mode === 'rb' && has(handle, 'read')) return duckReaderAdapter(handle as DuckReader);
  if (mode !== 'rb' && has(handle, 'write')) return duckWriterAdapter(handle as DuckWriter);
  throw new TypeError(`${describe(handle)} cannot be opened in mode '${mode}': it lacks ${mode === 'rb' ? 'read()' : 'write()'}`);
}

function fileHandleAdapter(handle: FileHandleLike, mode: FileMode): Adapter {
  return {
    seekable: mode === 'rb' || mode === 'rb+',
    async readAt(position, into) {
      // FileHandle.read fills the caller's memory directly: no intermediate copy.
      return (await handle.read(into, 0, into.byteLength, position)).bytesRead;
    },
    async writeAt(position, bytes) {
      for (let done = 0; done < bytes.byteLength;) {
        const at = mode === 'ab' ? null : position + done;
        done += (await handle.write(bytes, done, bytes.byteLength - done, at)).bytesWritten;
      }
    },
    async size() {
      return Number((await handle.stat()).size);
    },
    async flush() {
      await handle.sync?.();
    },
    close: () => handle.close(),
  };
}

/**
 * The waits on a foreign object (a Node stream, a duck-typed reader) that may never answer:
 * `interrupt` (called by `close`/`abort` before they wait for pending reads) makes every one
 * of them reject with `ClosedFileError`, so a close of a silent source settles. Each wait is
 * tracked only while it lasts: a race against one promise living as long as the file would
 * keep a reaction per read (hundreds of bytes each, for every read of a long stream).
 */
function interruptible(what: string) {
  const waiting = new Set<(error: unknown) => void>();
  let stopped: ClosedFileError | undefined;
  return {
    until: <T>(wait: Promise<T>): Promise<T> =>
      stopped !== undefined
        ? Promise.reject(stopped)
        : new Promise<T>((resolve, reject) => {
            waiting.add(reject);
            wait.then(resolve, reject).finally(() => waiting.delete(reject));
          }),
    interrupt: () => {
      stopped = new ClosedFileError(`${what} closed while a read waited`);
      for (const reject of waiting) reject(stopped);
      waiting.clear();
    },
  };
}

/** Reads from an iterator of chunks, keeping what a read did not take. */
function chunkReaderAdapter(chunks: AsyncIterator<unknown>, close: () => unknown): Adapter {
  let pending: Uint8Array | undefined;
  const { until, interrupt } = interruptible('the Node stream');
  return {
    seekable: false,
    interrupt,
    async read(into) {
      while (pending === undefined || pending.byteLength === 0) {
        const next = await until(chunks.next());
        if (next.done) return 0;
        pending = bytesOf(next.value, 'a chunk of the stream');
      }
      const count = Math.min(into.byteLength, pending.byteLength);
      into.set(pending.subarray(0, count));
      pending = pending.subarray(count);
      return count;
    },
    async close() {
      pending = undefined;
      await close();
    },
  };
}

function nodeWritableAdapter(stream: NodeWritableLike): Adapter {
  const close = () =>
    new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end((error) => {
        stream.removeListener?.('error', reject);
        if (error) reject(error);
        else resolve();
      });
    });
  return {
    seekable: false,
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        // The stream may keep the chunk queued; the caller may reuse its memory.
        stream.write(bytes.slice(), (error) => (error ? reject(error) : resolve()));
      }),
    close,
    // Destroyed, not ended: its reader (an HTTP client, a pipe) must not take what was
    // written for the whole. No error is given: one nobody listens for would crash Node.
    abort: () => (stream.destroy === undefined ? close() : void stream.destroy()),
  };
}

function duckReaderAdapter(reader: DuckReader): Adapter {
  const seekable = has(reader, 'seek') && has(reader, 'tell');
  let where: number | undefined;
  let pending: Uint8Array | undefined;
  /**
   * The object has one position, shared by every call: its seeks and reads run one at a time,
   * though the core lets positional reads overlap.
   */
  let tail: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(call: () => Promise<T>): Promise<T> => {
    const result = tail.then(call, call);
    tail = result.catch(() => undefined);
    return result;
  };
  /** Reads at `position` (seeking first if the object is elsewhere), or on from where it is. */
  const readFromNow = async (position: number | undefined, into: Uint8Array): Promise<number> => {
    if (position !== undefined && where !== position) {
      await reader.seek!(position, 0);
      pending = undefined;
    }
    if (pending === undefined || pending.byteLength === 0) {
      const result = await reader.read(into.byteLength);
      pending = result == null ? new Uint8Array(0) : bytesOf(result, 'what read() returned');
    }
    const count = Math.min(into.byteLength, pending.byteLength);
    into.set(pending.subarray(0, count));
    pending = pending.subarray(count);
    where = (position ?? where ?? 0) + count;
    return count;
  };
  const { until, interrupt } = interruptible('the reader');
  const readFrom = (position: number | undefined, into: Uint8Array) => until(oneAtATime(() => readFromNow(position, into)));
  const common = {
    interrupt,
    size: (): Promise<number> =>
      oneAtATime(async () => {
        if (has(reader, 'size')) return await reader.size!();
        if (!seekable) throw new UnsupportedOperationError('the size of this object is not known');
        const here = await reader.tell!();
        await reader.seek!(0, 2);
        const end = await reader.tell!();
        await reader.seek!(here, 0);
        return end;
      }),
    async close(): Promise<void> {
      await reader.close?.();
    },
  };
  return seekable
    ? { seekable, readAt: (position, into) => readFrom(position, into), ...common }
    : { seekable, read: (into) => readFrom(undefined, into), ...common };
}

function duckWriterAdapter(writer: DuckWriter): Adapter {
  return {
    seekable: false,
    async write(bytes) {
      await writer.write(bytes.slice());
    },
    async flush() {
      await writer.flush?.();
    },
    async close() {
      await writer.close?.();
    },
  };
}
