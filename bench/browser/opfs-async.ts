// The async OPFS backend against the platform calls it is built on, in whatever engine opens
// this page (bench/browser/opfs-async.mjs opens it in Chromium, Firefox and WebKitGTK): each
// contender measured in the same page, interleaved, median of the rounds, posted back.
import { OpfsFile } from '../../src/io/backends/opfs-file.js';

const MiB = 1024 * 1024;
const SIZE_MIB = Number(new URL(location.href).searchParams.get('mib') ?? '64');
const ROUNDS = Number(new URL(location.href).searchParams.get('rounds') ?? '5');
const DIR = 'bench-async';

const chunk = new Uint8Array(MiB).map((_, i) => i & 0xff);

async function handle(name: string, create: boolean): Promise<FileSystemFileHandle> {
  const root = await navigator.storage.getDirectory();
  return (await root.getDirectoryHandle(DIR, { create })).getFileHandle(name, { create });
}

/**
 * Waits until the writes to `name` are committed. WebKitGTK resolves a writable's `close()`
 * before it copies the swap file into place, and the next storage call waits for that copy:
 * without this, each write contender would pay for the one before it.
 */
async function committed(name: string): Promise<void> {
  await (await handle(name, false)).getFile();
}

/** MB/s of `work`, which moves `SIZE_MIB` MiB. */
async function rate(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (SIZE_MIB * MiB) / 1e6 / ((performance.now() - started) / 1000);
}

const contenders: Record<string, () => Promise<number>> = {
  /** OpfsFile on the async backend: read(1 MiB) until the end. */
  asyncBackendReads: () =>
    rate(async () => {
      const file = await OpfsFile.open(`${DIR}/read.bin`, 'rb', { backend: 'async' });
      while ((await file.read(MiB)).byteLength > 0);
      await file.close();
    }),
  /** The same with readBuffer(1 MiB): the fetched bytes wrapped, not copied. */
  asyncBackendReadBuffer: () =>
    rate(async () => {
      const file = await OpfsFile.open(`${DIR}/read.bin`, 'rb', { backend: 'async' });
      while ((await file.readBuffer(MiB)).size > 0);
      await file.close();
    }),
  /** The platform: one getFile(), then slice(1 MiB).arrayBuffer() until the end. */
  getFileSliceArrayBuffer: () =>
    rate(async () => {
      const file = await (await handle('read.bin', false)).getFile();
      for (let offset = 0; offset < file.size; offset += MiB) await file.slice(offset, offset + MiB).arrayBuffer();
    }),
  /** OpfsFile on the async backend: 'wb' (atomic), write(1 MiB) each, close. */
  asyncBackendWrites: () =>
    rate(async () => {
      const file = await OpfsFile.open(`${DIR}/write-a.bin`, 'wb', { backend: 'async' });
      for (let i = 0; i < SIZE_MIB; i++) await file.write(chunk);
      await file.close();
      await committed('write-a.bin');
    }),
  /** The same with atomic: false: the swap file of a writable on the file itself, no sibling and move. */
  asyncBackendWritesInPlace: () =>
    rate(async () => {
      const file = await OpfsFile.open(`${DIR}/write-c.bin`, 'wb', { backend: 'async', atomic: false });
      for (let i = 0; i < SIZE_MIB; i++) await file.write(chunk);
      await file.close();
      await committed('write-c.bin');
    }),
  /** The platform: a stream of the same chunks piped into createWritable(). */
  createWritablePipe: () =>
    rate(async () => {
      const writable = await (await handle('write-b.bin', true)).createWritable();
      let sent = 0;
      const source = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ === SIZE_MIB) controller.close();
          else controller.enqueue(chunk);
        },
      });
      await source.pipeTo(writable);
      await committed('write-b.bin');
    }),
};

const groups = [
  ['asyncBackendReads', 'asyncBackendReadBuffer', 'getFileSliceArrayBuffer'],
  ['asyncBackendWrites', 'asyncBackendWritesInPlace', 'createWritablePipe'],
] as const;

async function run(): Promise<void> {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(DIR, { recursive: true }).catch(() => {});
  const writable = await (await handle('read.bin', true)).createWritable();
  for (let i = 0; i < SIZE_MIB; i++) await writable.write(chunk);
  await writable.close();
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const group of groups) {
      // Alternate who goes first, so neither always gets the warmer cache.
      const order: readonly string[] = round % 2 === 0 ? group : [...group].reverse();
      for (const name of order) (samples[name] ??= []).push(await contenders[name]!());
    }
  }
  await root.removeEntry(DIR, { recursive: true }).catch(() => {});
  const median = (values: number[]) => values.slice().sort((a, b) => a - b)[values.length >> 1]!;
  const medians = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
  await post({ userAgent: navigator.userAgent, mib: SIZE_MIB, rounds: ROUNDS, medians, samples });
}

async function post(body: unknown): Promise<void> {
  await fetch('/__bench', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  document.getElementById('status')!.textContent = 'done';
}

run().catch((error: unknown) => post({ error: String((error as Error).stack ?? error) }));
