/**
 * The wire protocol between a page and the nativefile IO worker: types only, no code, so the
 * page side (`opfs-remote`) and the worker import it without importing each other.
 *
 * The page posts a {@link Call}; the worker answers each with one {@link Reply} of the same
 * `id`, in any order. Errors travel as data ({@link WireError}: class name, message, code), so
 * nothing global (such as comlink's transfer handlers) is touched in either thread.
 * @module
 */
import type { SharedBufferDescriptor } from '../memory/buffer.js';
import type { WasmPoolHandle } from '../memory/wasm/wasm-pool.js';
import type { FileMode } from '../io/core/file-mode.js';

/** The protocol's version; the worker says which one it speaks in its `hello` answer. */
export type ProtocolVersion = 1;

/** How a file is opened, as the worker needs it. */
export interface OpenRequest {
  readonly path: string;
  readonly mode: FileMode;
  /** `'wb'` writes a temporary sibling moved into place on close. */
  readonly atomic: boolean;
  /** Wait for other holders (Web Locks) instead of failing with `EBUSY`. */
  readonly wait: boolean;
}

/** What an open file is, as the worker reports it. */
export interface OpenResult {
  /** The worker's number for the file, used by every later call. */
  readonly file: number;
  readonly size: number;
}

/** Each operation: what it takes and what it answers. */
export interface Operations {
  /** The start-up handshake; `pool` makes the worker allocate from the page's wasm pool. */
  hello: { args: { pool?: WasmPoolHandle; lock?: string }; result: { version: ProtocolVersion } };
  open: { args: OpenRequest; result: OpenResult };
  /** Stops a pending `open` (one waiting for a lock); `call` is that open's id. */
  cancel: { args: { call: number }; result: void };
  /** Reads into shared memory the page described; answers the count. */
  readShared: { args: { file: number; position: number; into: SharedBufferDescriptor }; result: number };
  /** Reads up to `length` bytes into a new array, transferred to the page. */
  readCopy: { args: { file: number; position: number; length: number }; result: Uint8Array };
  writeShared: { args: { file: number; position: number; from: SharedBufferDescriptor }; result: void };
  /** Writes bytes transferred from the page. */
  writeCopy: { args: { file: number; position: number; bytes: Uint8Array }; result: void };
  truncate: { args: { file: number; size: number }; result: void };
  flush: { args: { file: number }; result: void };
  /** Closes the file (an atomic `'wb'` file is moved into place). */
  close: { args: { file: number }; result: void };
  /** Closes the file discarding what was written where it can (an atomic `'wb'` file). */
  abort: { args: { file: number }; result: void };
}

/** The name of an operation. */
export type Operation = keyof Operations;

/** A call from the page: one operation with its arguments. */
export type Call = { [K in Operation]: { readonly id: number; readonly op: K; readonly args: Operations[K]['args'] } }[Operation];

/** An error as it crosses the thread boundary. */
export interface WireError {
  /** The class name, such as `'FileNotFoundError'`, `'TypeError'`. */
  readonly name: string;
  readonly message: string;
  /** The `IOError` code, when it had one. */
  readonly code?: string;
}

/** The worker's answer to the call with the same `id`. */
export type Reply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WireError };
