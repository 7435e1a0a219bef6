// OPFS work any context can do (a page, a dedicated or shared worker), for the browser tests.
import { toReadableStream } from '../../src/adapters/web-streams/to-readable-stream.js';
import type { IOError } from '../../src/errors.js';
import { OpfsFile, type OpfsOpenOptions } from '../../src/io/backends/opfs-file.js';
import { checkPattern, fillPattern, MiB, removeEntry } from './pattern.js';

type Failure = { error: { name: string; code: string | undefined; message: string } };
const failure = (error: unknown): Failure => {
  const { name, code, message } = error as IOError;
  return { error: { name, code, message } };
};

/** Files this context keeps open between calls (another context then tries the same path). */
const held: Array<{ close(): Promise<void> }> = [];

export const contexts = {
  /** What this context has: a Worker constructor, sync access handles. */
  capabilities: () => ({
    worker: typeof (globalThis as { Worker?: unknown }).Worker === 'function',
    syncAccessHandle: typeof (globalThis as { FileSystemSyncAccessHandle?: unknown }).FileSystemSyncAccessHandle !== 'undefined',
    isolated: globalThis.crossOriginIsolated === true,
  }),

  /** Writes `mib` MiB in 1 MiB writes and reads them back: whether the bytes agree, and the backend. */
  async roundTrip(mib: number, options: OpfsOpenOptions = {}): Promise<{ ok: boolean; backend: string; isSync: boolean }> {
    const path = `roundtrip-${Math.random().toString(36).slice(2)}/data.bin`;
    const total = mib * MiB;
    const writer = await OpfsFile.open(path, 'wb', options);
    const chunk = new Uint8Array(MiB);
    for (let offset = 0; offset < total; offset += MiB) {
      fillPattern(chunk, offset);
      await writer.write(chunk);
    }
    await writer.close();
    const reader = await OpfsFile.open(path, 'rb', options);
    let ok = (await reader.size()) === total;
    for (let offset = 0; offset < total; offset += MiB) ok &&= checkPattern(await reader.read(MiB), offset);
    ok &&= (await reader.read(10)).length === 0;
    await reader.close();
    await removeEntry(path.split('/')[0]!);
    return { ok, backend: reader.backend, isSync: reader.isSync };
  },

  /** `new Response(toReadableStream(file))` gives the OPFS file's bytes. */
  async responseOfFile(options: OpfsOpenOptions = {}): Promise<{ same: boolean; length: number; backend: string }> {
    const path = `response-${Math.random().toString(36).slice(2)}/data.bin`;
    const bytes = new Uint8Array(300_001);
    fillPattern(bytes, 0);
    const writer = await OpfsFile.open(path, 'wb', options);
    await writer.write(bytes);
    await writer.close();
    const reader = await OpfsFile.open(path, 'rb', options);
    const back = new Uint8Array(await new Response(toReadableStream(reader, { chunkSize: 65_536 })).arrayBuffer());
    if (!reader.closed) await reader.close();
    await removeEntry(path.split('/')[0]!);
    return { same: back.length === bytes.length && checkPattern(back, 0), length: back.length, backend: reader.backend };
  },

  /** Opens `path` and keeps it open; with `text`, writes it first (without closing). */
  async hold(
    path: string,
    mode: 'rb' | 'wb' | 'rb+',
    text?: string,
    options: OpfsOpenOptions = {},
  ): Promise<{ ok: string } | Failure> {
    try {
      const file = await OpfsFile.open(path, mode, options);
      if (text !== undefined && file.mode !== 'rb')
        await (file as { write(b: Uint8Array): Promise<number> }).write(new TextEncoder().encode(text));
      held.push(file);
      return { ok: file.backend };
    } catch (error) {
      return failure(error);
    }
  },

  async closeHeld(): Promise<void> {
    for (const file of held.splice(0)) await file.close();
  },

  /** The text of `path`, or how opening it failed; `abortAfter` stops a wait. */
  async readText(
    path: string,
    options: { wait?: boolean; abortAfter?: number; backend?: 'auto' | 'sync' | 'async' } = {},
  ): Promise<{ text: string } | Failure> {
    const signal = options.abortAfter === undefined ? undefined : AbortSignal.timeout(options.abortAfter);
    try {
      const file = await OpfsFile.open(path, 'rb', {
        wait: options.wait === true,
        ...(signal ? { signal } : {}),
        ...(options.backend ? { backend: options.backend } : {}),
      });
      try {
        return { text: new TextDecoder().decode(await file.read()) };
      } finally {
        await file.close();
      }
    } catch (error) {
      return failure(error);
    }
  },

  /** How an open asking for sync access handles fails where there are none. */
  forcedSync: (): Promise<Failure | { ok: string }> =>
    OpfsFile.open('forced/sync.bin', 'wb', { backend: 'sync' }).then(async (file) => {
      await file.close();
      return { ok: file.backend };
    }, failure),
};
