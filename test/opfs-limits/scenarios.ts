// OPFS at its limits — a full quota, positions past 4 GiB — run the same way on a page and in
// a dedicated worker. Each scenario works in its own folder and removes it.
import type { IOError } from '../../src/errors.js';
import { OpfsFile, type OpfsOpenOptions } from '../../src/io/backends/opfs-file.js';
import { checkPattern, fillPattern, listDir, MiB, removeEntry } from '../browser/pattern.js';

/**
 * How a scenario writes: `options` for `OpfsFile.open`; `sync` uses `writeSync` and
 * `truncateSync` where the file is synchronous (a dedicated worker).
 */
export interface Route {
  readonly options: OpfsOpenOptions;
  readonly sync: boolean;
}

/** An error as the test sees it. */
export interface ErrorInfo {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
}

const info = (error: unknown): ErrorInfo => {
  const { name, code, message } = error as IOError;
  return { name, code, message };
};

/** `navigator.storage.estimate()`'s figures (-1 where there is none: WebKitGTK). */
const estimate = async (): Promise<{ usage: number; quota: number }> => {
  if (typeof navigator.storage.estimate !== 'function') return { usage: -1, quota: -1 };
  const { usage = -1, quota = -1 } = await navigator.storage.estimate();
  return { usage, quota };
};

type Writable = { write(bytes: Uint8Array): Promise<number>; writeSync?(bytes: Uint8Array): number; isSync: boolean };
type Truncatable = { truncate(size: number): Promise<void>; truncateSync?(size: number): void; isSync: boolean };

const write = async (file: Writable, bytes: Uint8Array, route: Route): Promise<void> => {
  if (route.sync && file.isSync) file.writeSync!(bytes);
  else await file.write(bytes);
};

const truncate = async (file: Truncatable, size: number, route: Route): Promise<void> => {
  if (route.sync && file.isSync) file.truncateSync!(size);
  else await file.truncate(size);
};

/** The size of `path` and whether its bytes are the test pattern from 0. */
async function contents(path: string, options: OpfsOpenOptions): Promise<{ size: number; intact: boolean }> {
  const file = await OpfsFile.open(path, 'rb', options);
  try {
    const bytes = await file.read();
    return { size: bytes.byteLength, intact: checkPattern(bytes, 0) };
  } finally {
    await file.close();
  }
}

const patterned = (length: number, offset: number): Uint8Array<ArrayBuffer> => {
  const bytes = new Uint8Array(length);
  fillPattern(bytes, offset);
  return bytes;
};

/** What a scenario that fills the quota reports. */
export interface QuotaRun {
  readonly backend: string;
  /** Bytes each write gave. */
  readonly chunk: number;
  /** Bytes whose writes succeeded (and, on the async backend, were flushed) before the failure. */
  readonly acknowledged: number;
  readonly writeError?: ErrorInfo;
  /** navigator.storage.estimate() right after the failure. */
  readonly estimate: { usage: number; quota: number };
  /** How a write after the failure went. */
  readonly laterWrite?: ErrorInfo | 'ok';
  readonly closeError?: ErrorInfo;
  /** The file afterwards. */
  readonly size: number;
  readonly intact: boolean;
  /** The names in the scenario's folder afterwards. */
  readonly entries: string[];
}

const MAX_WRITES = 200;

const GiB = 1024 * MiB;
/** Where the large-file scenario writes: 4.5 GiB, past what 32 bits hold. */
export const AT = 4.5 * GiB;
/** A write across 2^32. */
export const BOUNDARY = 2 ** 32 - 100;

type Readable = { readAt(offset: number, length: number): Promise<Uint8Array>; isSync: boolean };

const readAt = async (file: Readable, offset: number, length: number, route: Route): Promise<Uint8Array> =>
  route.sync && file.isSync
    ? (file as unknown as { readAtSync(o: number, n: number): Uint8Array }).readAtSync(offset, length)
    : file.readAt(offset, length);

export const scenarios = {
  /**
   * Replaces a 1000-byte file with an atomic `'wb'` in 1 MiB writes until the quota is full,
   * then closes: the old file must stay, with no partial sibling beside it.
   */
  async replaceUntilFull(dir: string, route: Route): Promise<QuotaRun> {
    const path = `${dir}/file.bin`;
    const old = await OpfsFile.open(path, 'wb', route.options);
    await old.write(patterned(1000, 0));
    await old.close();
    const file = await OpfsFile.open(path, 'wb', route.options);
    let writeError: ErrorInfo | undefined;
    let acknowledged = 0;
    for (let i = 0; i < MAX_WRITES && writeError === undefined; i++) {
      try {
        await write(file, patterned(MiB, acknowledged), route);
        acknowledged += MiB;
      } catch (error) {
        writeError = info(error);
      }
    }
    const figures = await estimate();
    const closeError = await file.close().then(() => undefined, info);
    const result = { backend: file.backend, chunk: MiB, acknowledged, writeError, estimate: figures, closeError };
    const after = { ...(await contents(path, route.options)), entries: await listDir(dir) };
    await removeEntry(dir);
    return { ...result, ...after };
  },

  /**
   * Replaces a 1000-byte file with an atomic `'wb'` by `upload()` of a 32 MiB Blob (the IO
   * worker reads it itself): the upload fails, the old file stays, with no sibling.
   */
  async uploadUntilFull(dir: string, route: Route): Promise<QuotaRun & { progress: number[] }> {
    const path = `${dir}/file.bin`;
    const old = await OpfsFile.open(path, 'wb', route.options);
    await old.write(patterned(1000, 0));
    await old.close();
    const file = await OpfsFile.open(path, 'wb', route.options);
    const progress: number[] = [];
    const blob = new Blob([new Uint8Array(32 * MiB).fill(1)]);
    const writeError = await file.upload(blob, { onProgress: (done) => progress.push(done) }).then(() => undefined, info);
    const figures = await estimate();
    const closeError = await file.close().then(() => undefined, info);
    const result = { backend: file.backend, chunk: 0, acknowledged: 0, writeError, estimate: figures, closeError };
    const after = { ...(await contents(path, route.options)), entries: await listDir(dir) };
    await removeEntry(dir);
    return { ...result, ...after, progress };
  },

  /**
   * Replaces a 6 MiB file (of a 10 MiB quota) with an atomic `'wb'` of 2 MiB: 1.5 MiB in
   * 64 KiB writes, then an `upload()` of a 512 KiB Blob. Its sibling cannot be sized ahead
   * for the old file (6 + 6 MiB do not fit): it is written without that, and succeeds.
   */
  async replaceBigNearFull(dir: string, route: Route): Promise<QuotaRun> {
    const path = `${dir}/file.bin`;
    const old = await OpfsFile.open(path, 'wb', route.options);
    await old.write(patterned(6 * MiB, 0));
    await old.close();
    const file = await OpfsFile.open(path, 'wb', route.options);
    const chunk = 64 * 1024;
    let acknowledged = 0;
    let writeError: ErrorInfo | undefined;
    try {
      for (; acknowledged < 1.5 * MiB; acknowledged += chunk) await write(file, patterned(chunk, acknowledged), route);
      await file.upload(new Blob([patterned(MiB / 2, acknowledged)]));
      acknowledged += MiB / 2;
    } catch (error) {
      writeError = info(error);
    }
    const figures = await estimate();
    const closeError = await file.close().then(() => undefined, info);
    const result = { backend: file.backend, chunk, acknowledged, writeError, estimate: figures, closeError };
    const after = { ...(await contents(path, route.options)), entries: await listDir(dir) };
    await removeEntry(dir);
    return { ...result, ...after };
  },

  /**
   * Writes 300,001-byte pieces in `mode` (`'ab'` or `'rb+'`) until the quota is full; on the
   * async backend each write is flushed, so that it is acknowledged. What was acknowledged
   * must be in the file, and nothing after it.
   */
  async writeUntilFull(dir: string, mode: 'ab' | 'rb+', route: Route): Promise<QuotaRun> {
    const path = `${dir}/file.bin`;
    const file = await OpfsFile.open(path, mode, route.options);
    const chunk = 300_001;
    let writeError: ErrorInfo | undefined;
    let acknowledged = 0;
    for (let i = 0; i < MAX_WRITES && writeError === undefined; i++) {
      try {
        await write(file, patterned(chunk, acknowledged), route);
        if (file.backend === 'async') await file.flush();
        acknowledged += chunk;
      } catch (error) {
        writeError = info(error);
      }
    }
    const figures = await estimate();
    const closeError = await file.close().then(() => undefined, info);
    const result = { backend: file.backend, chunk, acknowledged, writeError, estimate: figures, closeError };
    const after = { ...(await contents(path, route.options)), entries: await listDir(dir) };
    await removeEntry(dir);
    return { ...result, ...after };
  },

  /**
   * The async backend's writes are committed on flush: writes after the last flush that the
   * full quota made the browser discard. The file keeps what was flushed, refuses further
   * writes, and its close says what was lost.
   */
  async unflushedUntilFull(dir: string, route: Route): Promise<QuotaRun> {
    const path = `${dir}/file.bin`;
    const file = await OpfsFile.open(path, 'rb+', route.options);
    const chunk = MiB;
    await file.write(patterned(chunk, 0));
    await file.flush();
    let writeError: ErrorInfo | undefined;
    for (let i = 1; i < MAX_WRITES && writeError === undefined; i++) {
      await write(file, patterned(chunk, i * chunk), route).catch((error: unknown) => (writeError = info(error)));
    }
    const figures = await estimate();
    const laterWrite = await file.write(patterned(10, 0)).then(() => 'ok' as const, info);
    const closeError = await file.close().then(() => undefined, info);
    const result = { backend: file.backend, chunk, acknowledged: chunk, writeError, estimate: figures, laterWrite, closeError };
    const after = { ...(await contents(path, route.options)), entries: await listDir(dir) };
    await removeEntry(dir);
    return { ...result, ...after };
  },

  /**
   * Extends a 1000-byte file to `size` (64 MiB), past the quota: the size must stay, and a
   * write after it works.
   */
  async truncateBeyond(dir: string, route: Route, size = 64 * MiB): Promise<QuotaRun & { sizeAfterFailure: number }> {
    const path = `${dir}/file.bin`;
    const file = await OpfsFile.open(path, 'rb+', route.options);
    await file.write(patterned(1000, 0));
    await file.flush();
    const writeError = await truncate(file, size, route).then(() => undefined, info);
    const figures = await estimate();
    const sizeAfterFailure = await file.size();
    file.seek(1000);
    const laterWrite = await write(file, patterned(10, 1000), route).then(() => 'ok' as const, info);
    const closeError = await file.close().then(() => undefined, info);
    const result = {
      backend: file.backend,
      chunk: size - 1000,
      acknowledged: 1010,
      writeError,
      estimate: figures,
      laterWrite,
      closeError,
    };
    const after = { ...(await contents(path, route.options)), entries: await listDir(dir) };
    await removeEntry(dir);
    return { ...result, ...after, sizeAfterFailure };
  },

  /**
   * A sparse 5 GiB file (truncated to it): written and read at 4.5 GiB and across 2^32,
   * appended to at its end, read back through a new open; removed at the end either way.
   */
  async pastFourGiB(dir: string, route: Route): Promise<LargeRun> {
    const path = `${dir}/large.bin`;
    const size = 5 * GiB;
    const piece = 256 * 1024;
    try {
      const file = await OpfsFile.open(path, 'rb+', route.options);
      await truncate(file, size, route);
      file.seek(AT);
      await write(file, patterned(piece, AT), route);
      const tellAfterWrite = file.tell();
      file.seek(BOUNDARY);
      await write(file, patterned(200, BOUNDARY), route);
      const sizeAfterWrites = await file.size();
      const sameHandle = checkPattern(await readAt(file, AT, piece, route), AT);
      await file.close();

      const reader = await OpfsFile.open(path, 'rb', route.options);
      const reopenedSize = await reader.size();
      const atMark = checkPattern(await readAt(reader, AT, piece, route), AT);
      const acrossBoundary = checkPattern(await readAt(reader, BOUNDARY, 200, route), BOUNDARY);
      reader.seek(AT + 1000);
      const sequential = checkPattern(await reader.read(5000), AT + 1000);
      const tellAfterRead = reader.tell();
      const buffer = await reader.readBuffer(100);
      const viaBuffer = checkPattern(buffer.toBytes(), AT + 6000);
      const zeros = (await reader.readAt(AT - 16, 16)).every((byte) => byte === 0);
      const endSeek = reader.seek(-10, 2);
      const tail = Array.from(await reader.read());
      await reader.close();

      const appender = await OpfsFile.open(path, 'ab', route.options);
      const appendFrom = appender.tell();
      await write(appender, patterned(10, size), route);
      await appender.close();
      const last = await OpfsFile.open(path, 'rb', route.options);
      const appendedSize = await last.size();
      const appended = checkPattern(await last.readAt(size, 10), size);
      await last.close();
      return {
        backend: file.backend,
        tellAfterWrite,
        sizeAfterWrites,
        sameHandle,
        reopenedSize,
        atMark,
        acrossBoundary,
        sequential,
        tellAfterRead,
        viaBuffer,
        zeros,
        endSeek,
        tail,
        appendFrom,
        appendedSize,
        appended,
      };
    } finally {
      await removeEntry(dir);
    }
  },
};

/** What {@link scenarios.pastFourGiB} reports. */
export interface LargeRun {
  readonly backend: string;
  readonly tellAfterWrite: number;
  readonly sizeAfterWrites: number;
  /** Whether the bytes at 4.5 GiB read back through the handle that wrote them. */
  readonly sameHandle: boolean;
  readonly reopenedSize: number;
  readonly atMark: boolean;
  readonly acrossBoundary: boolean;
  readonly sequential: boolean;
  readonly tellAfterRead: number;
  readonly viaBuffer: boolean;
  /** Whether the hole before the mark reads as zeros. */
  readonly zeros: boolean;
  readonly endSeek: number;
  readonly tail: number[];
  readonly appendFrom: number;
  readonly appendedSize: number;
  readonly appended: boolean;
}

/** The names of the scenarios. */
export type ScenarioName = keyof typeof scenarios;
