/**
 * The IO service the worker runs: OPFS files on sync access handles, answering the calls of
 * `src/opfs/protocol.ts`. Reads land directly in the page's shared pool memory and writes
 * read directly from it; pages that are not cross-origin isolated get transferred copies.
 * Imports modules, never the package entry (which imports the page side of this protocol).
 * @module
 */
import { ClosedFileError, IOError } from '../src/errors.js';
import { Buffer } from '../src/memory/buffer.js';
import { setMemoryPool } from '../src/memory/default-pool.js';
import { attachMemoryPool } from '../src/memory/wasm/wasm-pool.js';
import type { Call, Operation, Operations, WorkerMessage } from '../src/opfs/protocol.js';
import { withCurrentQuota } from '../src/opfs/quota.js';
import { SyncAccess } from '../src/opfs/sync-access.js';
import { toWire } from '../src/opfs/wire-errors.js';
import { uploadInto } from './upload.js';

/** Where replies go: the worker's global scope, or a `MessagePort`. */
export interface ReplyTarget {
  /**
   * Sends one reply or progress report; `transfer` lists what it moves rather than copies (a
   * `readCopy`'s bytes). Typed by what it carries, not the DOM's `Transferable`, so the
   * declarations compile in a Node program without the DOM library.
   */
  postMessage(message: WorkerMessage, transfer: ArrayBuffer[]): void;
}

/** Tells the page how far a running call has got. */
type Progress = (done: number) => void;

type Handlers = {
  [K in Operation]: (
    args: Operations[K]['args'],
    id: number,
    progress: Progress,
  ) => Operations[K]['result'] | Promise<Operations[K]['result']>;
};

/** The service's state: one per worker. */
export function createService(): (call: Call, reply: ReplyTarget) => void {
  const files = new Map<number, SyncAccess>();
  /** Opens and uploads still running, by call id, so `cancel` can stop them. */
  const running = new Map<number, AbortController>();
  /** Which call opened each file, so a `cancel` that arrives after the reply closes it. */
  const openedBy = new Map<number, number>();
  /**
   * Where each file's last `writeCopy` ended, if it was written: a `chained` write that does not
   * start there (the one before it failed, or never came) is refused, not written past a gap.
   */
  const ends = new Map<number, number>();
  let nextFile = 1;

  const access = (file: number): SyncAccess => {
    const found = files.get(file);
    if (found === undefined)
      throw new ClosedFileError(`the IO worker has no open file ${file} (closed, or the worker restarted)`);
    return found;
  };
  const forget = (file: number): SyncAccess => {
    const found = access(file);
    files.delete(file);
    ends.delete(file);
    for (const [call, opened] of openedBy) if (opened === file) openedBy.delete(call);
    return found;
  };

  const handlers: Handlers = {
    async hello({ pool, lock }) {
      if (pool !== undefined) setMemoryPool(attachMemoryPool(pool));
      // Held until this worker ends, so the page learns when it does (see connection.ts).
      if (lock !== undefined)
        await new Promise<void>((held) => void navigator.locks.request(lock, () => (held(), new Promise(() => {}))));
      return { version: 1 };
    },
    async open({ path, mode, atomic, wait }, id) {
      const controller = new AbortController();
      running.set(id, controller);
      try {
        const file = await SyncAccess.open(path, mode, { atomic, wait, signal: controller.signal });
        if (controller.signal.aborted) {
          await file.abort();
          throw controller.signal.reason;
        }
        const number = nextFile++;
        files.set(number, file);
        openedBy.set(id, number);
        return { file: number, size: file.size() };
      } finally {
        running.delete(id);
      }
    },
    cancel({ call }) {
      running.get(call)?.abort(new DOMException('the call was cancelled', 'AbortError'));
      const file = openedBy.get(call);
      // The caller has gone: nobody can be told if discarding the half-opened file fails.
      if (file !== undefined) Promise.resolve(forget(file).abort()).catch(() => {});
    },
    readShared: ({ file, position, into }) => access(file).read(position, Buffer.fromShared(into).view),
    readCopy({ file, position, length }) {
      const out = new Uint8Array(length);
      const count = access(file).read(position, out);
      return count === length ? out : out.slice(0, count);
    },
    writeShared: ({ file, position, from }) => access(file).write(position, Buffer.fromShared(from).view),
    writeCopy({ file, position, bytes, chained }) {
      const target = access(file);
      const follows = ends.get(file) === position;
      ends.delete(file);
      if (chained && !follows) throw new IOError('not written: the write before it failed', { code: 'ECANCELED' });
      target.write(position, bytes);
      ends.set(file, position + bytes.byteLength);
    },
    async upload({ file, position, source, progressEvery }, id, progress) {
      const target = access(file);
      // An atomic 'wb' sizes its file once for the Blob instead of growing it write by write.
      target.expect(position + source.size);
      const controller = new AbortController();
      running.set(id, controller);
      try {
        return await uploadInto(target, position, source, progressEvery, controller.signal, progress);
      } finally {
        running.delete(id);
      }
    },
    truncate: ({ file, size }) => access(file).truncate(size),
    flush: ({ file }) => access(file).flush(),
    close: ({ file }) => (files.has(file) ? forget(file).close() : undefined),
    abort: ({ file }) => (files.has(file) ? forget(file).abort() : undefined),
  };

  return (call, target) => {
    const answer = (value: unknown) => {
      // A read's own array moves to the page instead of being copied.
      const transfer = value instanceof Uint8Array ? [value.buffer as ArrayBuffer] : [];
      target.postMessage({ id: call.id, ok: true, value }, transfer);
    };
    // A full quota is reported with the quota as it is now (the write could not wait for it).
    const fail = (error: unknown) =>
      void withCurrentQuota(error).then((current) => target.postMessage({ id: call.id, ok: false, error: toWire(current) }, []));
    try {
      // Own operations only: a call naming 'constructor' or 'toString' would run it and answer ok.
      if (!Object.hasOwn(handlers, call.op)) throw new TypeError(`the IO worker has no operation ${JSON.stringify(call.op)}`);
      const handler = handlers[call.op] as (args: unknown, id: number, progress: Progress) => unknown;
      const result = handler(call.args, call.id, (done) => target.postMessage({ id: call.id, progress: true, done }, []));
      if (result instanceof Promise) result.then(answer, fail);
      else answer(result);
    } catch (error) {
      fail(error);
    }
  };
}
