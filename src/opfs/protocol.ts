/**
 * The wire protocol between a page and the nativefile IO worker: types only, no code, so the
 * page side (`opfs-remote`) and the worker import it without importing each other.
 *
 * The page posts a {@link Call}; the worker answers each with one {@link Reply} of the same
 * `id`, in any order. Errors travel as data ({@link WireError}: class name, message, code), so
 * nothing global (such as comlink's transfer handlers) is touched in either thread.
 * @module
 */
import type { SharedBufferDescriptor } from '../memory/shared-buffer-descriptor.js';
import type { WasmPoolHandle } from '../memory/wasm/wasm-pool-types.js';
import type { FileMode } from '../util/file-mode.js';

/** The protocol's version; the worker says which one it speaks in its `hello` answer. */
export type ProtocolVersion = 1;

/** How a file is opened, as the worker needs it. */
export interface OpenRequest {
  /** The file's path in the origin private file system, `/`-separated. */
  readonly path: string;
  /** The canonical mode. */
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
  /** The file's size when opened. */
  readonly size: number;
}

/**
 * Each operation: what it takes (`args`) and what it answers (`result`). `file` is always the
 * number `open` answered, `position` a byte offset in the file.
 */
export interface Operations {
  /** The start-up handshake; `pool` makes the worker allocate from the page's wasm pool. */
  hello: {
    /** What the page shares with the worker. */
    args: {
      /** The page's wasm pool, so buffers read in the worker are in memory the page sees. */
      pool?: WasmPoolHandle;
      /** A Web Lock name the worker holds for its life, so the page learns when it ends. */
      lock?: string;
    };
    /** What the worker speaks. */
    result: {
      /** The protocol version. */
      version: ProtocolVersion;
    };
  };
  /** Opens a file (waiting for its lock if `wait`). */
  open: {
    /** The path and how to open it. */
    args: OpenRequest;
    /** The file's number and size. */
    result: OpenResult;
  };
  /** Stops a pending `open` (one waiting for a lock) or `upload`; `call` is that call's id. */
  cancel: {
    /** Which call to stop. */
    args: {
      /** The id of the `open` or `upload` call. */
      call: number;
    };
    /** Nothing. */
    result: void;
  };
  /** Reads into shared memory the page described; answers the count. */
  readShared: {
    /** Where to read from and into. */
    args: {
      /** The file. */
      file: number;
      /** Where in the file to start. */
      position: number;
      /** The page's memory to fill, as many bytes as it holds at most. */
      into: SharedBufferDescriptor;
    };
    /** The number of bytes read; fewer than asked only at the end of the file. */
    result: number;
  };
  /** Reads up to `length` bytes into a new array, transferred to the page. */
  readCopy: {
    /** What to read. */
    args: {
      /** The file. */
      file: number;
      /** Where in the file to start. */
      position: number;
      /** How many bytes at most. */
      length: number;
    };
    /** The bytes read. */
    result: Uint8Array;
  };
  /** Writes bytes from shared memory the page described. */
  writeShared: {
    /** Where to write, and the bytes. */
    args: {
      /** The file. */
      file: number;
      /** Where in the file to write. */
      position: number;
      /** The page's memory holding the bytes. */
      from: SharedBufferDescriptor;
    };
    /** Nothing: all the bytes were written. */
    result: void;
  };
  /** Writes bytes transferred from the page. */
  writeCopy: {
    /** Where to write, and the bytes. */
    args: {
      /** The file. */
      file: number;
      /** Where in the file to write. */
      position: number;
      /** The bytes, moved to the worker. */
      bytes: Uint8Array;
      /**
       * Sent before the page heard how the write before it to this file went (an upload keeps
       * one write ahead): refused unless that one was written and ended at `position`, so that
       * nothing lands past what it left out.
       */
      chained?: boolean;
    };
    /** Nothing: all the bytes were written. */
    result: void;
  };
  /**
   * Writes everything a Blob holds, read in the worker, from `position` on. While it runs the worker posts {@link ProgressReport}s
   * (at most one per `progressEvery` ms, and always one with the final count before its
   * reply, also when it fails). A `cancel` naming this call stops it: it then fails with an
   * `AbortError`.
   */
  upload: {
    /** Where to write, and what. */
    args: {
      /** The file. */
      file: number;
      /** Where in the file the first byte goes. */
      position: number;
      /** What to write (cloned: a reference to the same bytes, no copy). */
      source: Blob;
      /** The least time between two progress reports, in milliseconds. */
      progressEvery: number;
    };
    /** The number of bytes written. */
    result: number;
  };
  /** Sets the file's size, cutting or zero-extending it. */
  truncate: {
    /** Which file and its new size. */
    args: {
      /** The file. */
      file: number;
      /** The new size in bytes. */
      size: number;
    };
    /** Nothing. */
    result: void;
  };
  /** Persists what was written. */
  flush: {
    /** Which file. */
    args: {
      /** The file. */
      file: number;
    };
    /** Nothing. */
    result: void;
  };
  /** Closes the file (an atomic `'wb'` file is moved into place). */
  close: {
    /** Which file. */
    args: {
      /** The file. */
      file: number;
    };
    /** Nothing. */
    result: void;
  };
  /** Closes the file discarding what was written where it can (an atomic `'wb'` file). */
  abort: {
    /** Which file. */
    args: {
      /** The file. */
      file: number;
    };
    /** Nothing. */
    result: void;
  };
}

/** The name of an operation. */
export type Operation = keyof Operations;

/** A call from the page: one operation with its arguments. */
export type Call = {
  [K in Operation]: {
    /** The call's number, unique among the page's pending calls; the reply carries it back. */
    readonly id: number;
    /** The operation. */
    readonly op: K;
    /** Its arguments. */
    readonly args: Operations[K]['args'];
  };
}[Operation];

/** An error as it crosses the thread boundary. */
export interface WireError {
  /** The class name, such as `'FileNotFoundError'`, `'TypeError'`. */
  readonly name: string;
  /** The error's message. */
  readonly message: string;
  /** The `IOError` code, when it had one. */
  readonly code?: string;
}

/** The worker's answer to the call with the same `id`. */
export type Reply =
  | {
      /** The call's id. */
      readonly id: number;
      /** `true`: the operation succeeded. */
      readonly ok: true;
      /** The operation's result. */
      readonly value: unknown;
    }
  | {
      /** The call's id. */
      readonly id: number;
      /** `false`: the operation failed. */
      readonly ok: false;
      /** Why. */
      readonly error: WireError;
    };

/** How far a running call (an `upload`) has got, posted by the worker before its reply. */
export interface ProgressReport {
  /** The call's id. */
  readonly id: number;
  /** Marks a report (replies have `ok`). */
  readonly progress: true;
  /** The bytes written so far. */
  readonly done: number;
}

/** What the worker posts: replies, and progress reports of running calls. */
export type WorkerMessage = Reply | ProgressReport;
