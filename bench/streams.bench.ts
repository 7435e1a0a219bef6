/**
 * Reading a 128 MiB file (page-cached) as a Web stream, interleaved in one run
 * (bench/harness.ts): toReadableStream over a file against Node's own
 * Readable.toWeb(fs.createReadStream()), with default readers taking 1 MiB chunks, and BYOB
 * readers reading into one 1 MiB buffer. Each round opens the file and reads it to the end.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, bench, describe } from 'vitest';
import { JsFile, OSFile, toReadableStream } from 'nativefile/node';
import { compare } from './harness.js';

const SIZE = 128 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const path = join(mkdtempSync(join(tmpdir(), 'nativefile-bench-')), 'data.bin');
writeFileSync(path, new Uint8Array(SIZE).fill(7));
const once = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };
const megabytes = { unit: 'MB/s', of: (ms: number) => SIZE / 1e6 / (ms / 1000) };
let sink = 0;

afterAll(() => rmSync(dirname(path), { recursive: true, force: true }));

async function drainDefault(stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) sink += r.value.byteLength;
}

async function drainByob(stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader({ mode: 'byob' });
  let view = new Uint8Array(CHUNK);
  for (let r = await reader.read(view); !r.done; r = await reader.read(view)) {
    sink += r.value.byteLength;
    view = new Uint8Array(r.value.buffer);
  }
}

describe(`read a ${SIZE / 1024 / 1024} MiB file as a ReadableStream`, () => {
  bench(
    '(table printed above)',
    async () => {
      await compare(
        'streams',
        `read a ${SIZE / 1024 / 1024} MiB file as a ReadableStream, 1 MiB chunks`,
        [
          {
            name: 'toReadableStream(OSFile), default reader',
            run: () => drainDefault(toReadableStream(new OSFile(path), { chunkSize: CHUNK })),
          },
          {
            name: 'Readable.toWeb(fs.createReadStream())',
            run: () =>
              drainDefault(Readable.toWeb(createReadStream(path, { highWaterMark: CHUNK })) as ReadableStream<Uint8Array>),
          },
          { name: 'toReadableStream(OSFile), BYOB reader', run: () => drainByob(toReadableStream(new OSFile(path))) },
          {
            name: 'toReadableStream(JsFile(FileHandle)), default',
            run: async () => drainDefault(toReadableStream(new JsFile(await open(path, 'r')), { chunkSize: CHUNK })),
          },
          {
            name: 'toReadableStream(JsFile(FileHandle)), BYOB',
            run: async () => drainByob(toReadableStream(new JsFile(await open(path, 'r')))),
          },
        ],
        { rounds: 31, warmup: 2, per: megabytes },
      );
    },
    once,
  );
});

export { sink };
