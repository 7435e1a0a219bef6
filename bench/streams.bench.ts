/**
 * Reading a 128 MiB file (page-cached) as a Web stream: toReadableStream over a file against
 * Node's own Readable.toWeb(fs.createReadStream()), and BYOB against default readers.
 */
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { bench, describe } from 'vitest';
import { JsFile, OSFile, toReadableStream } from 'nativefile/node';

const SIZE = 128 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const path = join(mkdtempSync(join(tmpdir(), 'nativefile-bench-')), 'data.bin');
writeFileSync(path, new Uint8Array(SIZE).fill(7));
const options = { iterations: 8, warmupIterations: 2, time: 0, warmupTime: 0 };
let sink = 0;

async function drainDefault(stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) sink += r.value.byteLength;
}

describe(`read a ${SIZE / 1024 / 1024} MiB file as a ReadableStream`, () => {
  bench(
    'toReadableStream(JsFile(FileHandle)), default reader',
    async () => {
      await drainDefault(toReadableStream(new JsFile(await open(path, 'r')), { chunkSize: CHUNK }));
    },
    options,
  );

  bench(
    'toReadableStream(JsFile(FileHandle)), BYOB reader',
    async () => {
      const reader = toReadableStream(new JsFile(await open(path, 'r'))).getReader({ mode: 'byob' });
      let view = new Uint8Array(CHUNK);
      for (let r = await reader.read(view); !r.done; r = await reader.read(view)) {
        sink += r.value.byteLength;
        view = new Uint8Array(r.value.buffer);
      }
    },
    options,
  );

  bench(
    'toReadableStream(OSFile), default reader',
    async () => {
      await drainDefault(toReadableStream(new OSFile(path), { chunkSize: CHUNK }));
    },
    options,
  );

  bench(
    'toReadableStream(OSFile), BYOB reader',
    async () => {
      const reader = toReadableStream(new OSFile(path)).getReader({ mode: 'byob' });
      let view = new Uint8Array(CHUNK);
      for (let r = await reader.read(view); !r.done; r = await reader.read(view)) {
        sink += r.value.byteLength;
        view = new Uint8Array(r.value.buffer);
      }
    },
    options,
  );

  bench(
    'Readable.toWeb(fs.createReadStream())',
    async () => {
      await drainDefault(Readable.toWeb(createReadStream(path, { highWaterMark: CHUNK })) as ReadableStream<Uint8Array>);
    },
    options,
  );
});

export { sink };
