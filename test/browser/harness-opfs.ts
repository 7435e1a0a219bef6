// Page-side OPFS reliability checks: several pages on one origin, failing workers, dropped files.
import { transferHandlers } from 'comlink';
import type { IOError } from '../../src/errors.js';
import { OpfsFile, type OpfsOpenOptions, type OpfsWriter } from '../../src/io/backends/opfs-file.js';
import { listDir, MiB } from './pattern.js';

type Failure = { error: { name: string; code: string | undefined; message: string } };
const failure = (error: unknown): Failure => {
  const { name, code, message } = error as IOError;
  return { error: { name, code, message } };
};

/** Files this page keeps open between calls (another page then tries the same path). */
const held: Array<{ close(): Promise<void> }> = [];
let uploading: Promise<unknown> | undefined;

async function textOf(path: string, options: OpfsOpenOptions = {}): Promise<string> {
  const file = await OpfsFile.open(path, 'rb', options);
  try {
    return new TextDecoder().decode(await file.read());
  } finally {
    await file.close();
  }
}

export const reliability = {
  async writeText(path: string, text: string): Promise<void> {
    const file = await OpfsFile.open(path, 'wb');
    await file.write(new TextEncoder().encode(text));
    await file.close();
  },

  /** The text of `path`, or the error opening it gave. */
  readText: (path: string, options: { wait?: boolean; abortAfter?: number } = {}): Promise<{ text: string } | Failure> => {
    const signal = options.abortAfter === undefined ? undefined : AbortSignal.timeout(options.abortAfter);
    return textOf(path, { wait: options.wait === true, ...(signal ? { signal } : {}) }).then((text) => ({ text }), failure);
  },

  /** Opens `path` and keeps it open; with `text`, writes it first (without closing). */
  async hold(path: string, mode: 'rb' | 'wb' | 'rb+', text?: string): Promise<{ ok: true } | Failure> {
    try {
      const file = await OpfsFile.open(path, mode);
      if (text !== undefined && file.mode !== 'rb') await (file as OpfsWriter).write(new TextEncoder().encode(text));
      held.push(file);
      return { ok: true };
    } catch (error) {
      return failure(error);
    }
  },

  async closeHeld(): Promise<void> {
    for (const file of held.splice(0)) await file.close();
  },

  /** Starts replacing `path` with `mib` MiB and more, never closing; resolves once `mib` MiB are written. */
  async startEndlessUpload(path: string, mib: number): Promise<void> {
    const file = await OpfsFile.open(path, 'wb');
    const chunk = new Uint8Array(MiB).fill(0x55);
    for (let i = 0; i < mib; i++) await file.write(chunk);
    uploading = (async () => {
      for (;;) await file.write(chunk);
    })().catch(() => {});
  },

  listDir,

  /** Whether the page's own comlink 'throw' handler is still its own after OPFS calls that fail. */
  async comlinkUntouched(): Promise<boolean> {
    const before = transferHandlers.get('throw');
    await OpfsFile.open('no/such/dir/file.bin').catch(() => undefined);
    return transferHandlers.get('throw') === before;
  },

  /** `truncate` on a remote file, in order with the writes around it. */
  async truncateRemote(): Promise<{ sizes: number[]; bytes: number[] }> {
    const file = await OpfsFile.open('truncate/remote.bin', 'rb+');
    if (file.isSync) throw new Error('a page file is asynchronous');
    void file.write(new Uint8Array(100).fill(1));
    const truncated = file.truncate(10);
    void file.write(new Uint8Array(5).fill(2)); // at position 100: extends again to 105
    await truncated;
    const sizes = [await file.size()];
    await file.truncate(3);
    sizes.push(await file.size());
    const bytes = Array.from(await file.readAt(0, 10));
    await file.close();
    return { sizes, bytes };
  },

  /** Async iteration yields chunks; `lines()` yields lines. */
  async chunksAndLines(): Promise<{ chunks: number; total: number; lines: number; first: string }> {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${String(i).padStart(40, '-')}\n`).join('');
    await reliability.writeText('iterate/lines.txt', text);
    const file = await OpfsFile.open('iterate/lines.txt');
    let chunks = 0;
    let total = 0;
    for await (const chunk of file) {
      chunks++;
      total += chunk.byteLength;
    }
    file.seek(0);
    let lines = 0;
    let first = '';
    for await (const line of file.lines()) if (lines++ === 0) first = new TextDecoder().decode(line);
    await file.close();
    return { chunks, total, lines, first };
  },

  /** How `OpfsFile.open` fails when the IO worker cannot load, twice (each open starts afresh). */
  async openWithBrokenWorker(): Promise<Array<Failure & { ms: number }>> {
    const attempts: Array<Failure & { ms: number }> = [];
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      const result = await OpfsFile.open('broken/file.bin', 'wb').then(
        () => ({ error: { name: 'none', code: undefined, message: 'opened' } }),
        failure,
      );
      attempts.push({ ...result, ms: performance.now() - started });
    }
    return attempts;
  },

  /** A worker given by the app that fails at start-up, or that is terminated mid-use. */
  async failingWorkers(): Promise<{ startUp: Failure; terminated: Failure; later: Failure; defaultStillWorks: boolean }> {
    const bad = new Worker(new URL('./bad-worker.ts', import.meta.url), { type: 'module' });
    const startUp = await OpfsFile.open('dies/a.bin', 'wb', { worker: bad }).then(() => failure(new Error('opened')), failure);
    const own = new Worker(new URL('../../worker/index.ts', import.meta.url), { type: 'module' });
    const file = await OpfsFile.open('dies/b.bin', 'rb+', { worker: own });
    await file.write(new Uint8Array(10));
    own.terminate();
    const terminated = await file.readAt(0, 10).then(() => failure(new Error('read')), failure);
    const later = await file.write(new Uint8Array(1)).then(() => failure(new Error('wrote')), failure);
    await reliability.writeText('dies/c.txt', 'fine');
    return { startUp, terminated, later, defaultStillWorks: (await textOf('dies/c.txt')) === 'fine' };
  },

  /** A remote file dropped without close() lets the next writer in once collected (needs gc()). */
  async droppedFileIsReleased(): Promise<{ busyBefore: string | undefined; openedAfter: boolean }> {
    const gc = (globalThis as { gc?: () => void }).gc!;
    await (async () => {
      const file = await OpfsFile.open('dropped/file.bin', 'rb+');
      await file.write(new Uint8Array(8));
    })();
    const busyBefore = await OpfsFile.open('dropped/file.bin', 'rb+').then(
      () => undefined,
      (e: IOError) => e.code,
    );
    for (let i = 0; i < 50; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const file = await OpfsFile.open('dropped/file.bin', 'rb+').catch(() => undefined);
      if (file !== undefined) {
        await file.close();
        return { busyBefore, openedAfter: true };
      }
    }
    return { busyBefore, openedAfter: false };
  },

  /** A reader and an atomic writer of one path opened at once, `rounds` times: how many writers were refused. */
  async readerAndWriterAtOnce(rounds: number): Promise<{ refused: number; failures: string[] }> {
    await reliability.writeText('at-once/data.txt', 'data');
    const failures: string[] = [];
    for (let i = 0; i < rounds; i++) {
      const [reader, writer] = await Promise.allSettled([
        OpfsFile.open('at-once/data.txt', 'rb'),
        OpfsFile.open('at-once/data.txt', 'wb'),
      ]);
      for (const opened of [reader, writer]) {
        if (opened.status === 'fulfilled') await opened.value.close();
        else failures.push(String((opened.reason as IOError).code));
      }
    }
    return { refused: failures.length, failures };
  },

  /** Two readers of one file on this page, one after the other and at once; then a writer. */
  async twoReadersOfOneFile() {
    await reliability.writeText('readers/data.txt', 'shared bytes');
    const first = await OpfsFile.open('readers/data.txt', 'rb');
    const second = await OpfsFile.open('readers/data.txt', 'rb').catch(failure);
    const opened = 'readAt' in second ? 'opened' : second;
    const texts =
      'readAt' in second ? [await first.read(), await second.read()].map((bytes) => new TextDecoder().decode(bytes)) : [];
    if ('readAt' in second) await second.close();
    await first.close();
    const atOnce = await Promise.allSettled([OpfsFile.open('readers/data.txt', 'rb'), OpfsFile.open('readers/data.txt', 'rb')]);
    for (const each of atOnce) if (each.status === 'fulfilled') await each.value.close();
    // Both closed: the path is free for a writer.
    const writer = await OpfsFile.open('readers/data.txt', 'rb+').catch(failure);
    if ('close' in writer) await writer.close();
    return {
      opened,
      texts,
      atOnce: atOnce.map((each) => each.status),
      writerAfter: 'close' in writer ? 'opened' : writer,
    };
  },

  /** Listeners left on one long-lived signal after `count` opens and closes with it. */
  async listenersLeftBySignal(count: number): Promise<number> {
    const signal = new AbortController().signal;
    let listeners = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners += 1;
      add(...args);
    };
    signal.removeEventListener = (...args: Parameters<AbortSignal['removeEventListener']>) => {
      listeners -= 1;
      remove(...args);
    };
    for (let i = 0; i < count; i++) await (await OpfsFile.open('signal/file.bin', 'wb', { signal })).close();
    return listeners;
  },

  /** Keeps the endless upload referenced (a test closes the page under it). */
  uploadStarted: (): boolean => uploading !== undefined,
};
