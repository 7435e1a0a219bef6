import { BlobReader, TextReader, Uint8ArrayReader, Uint8ArrayWriter, ZipReader, ZipWriter } from '@zip.js/zip.js';
import { describe, expect, test } from 'vitest';
import { zipReaderOf, zipWriterOf, type ZipReadable } from '../../src/adapters/zipjs.js';
import { BlobFile, BufferOutputStream, BufferReader } from '../../src/index.js';
import { OSFile } from '../../src/node.js';
import { decode, randomBytes, tempFiles } from '../helpers.js';

// Larger than the adapter's 1 MiB read chunk, so an entry streams out in several reads.
const big = randomBytes(2_500_000, 7);
const entries: Record<string, Uint8Array | string> = {
  'hello.txt': 'Hello, zip',
  'dir/random.bin': big,
  'dir/empty.txt': '',
};

/** Adds every entry of {@link entries} through `zip`, text compressed, the random bytes stored. */
async function addAll<T>(zip: ZipWriter<T>): Promise<void> {
  for (const [name, content] of Object.entries(entries)) {
    await zip.add(name, typeof content === 'string' ? new TextReader(content) : new Uint8ArrayReader(content), {
      level: typeof content === 'string' ? 6 : 0,
    });
  }
}

/** Every file entry of the zip in `file`, name to bytes, read through our reader. */
async function readAll(file: ZipReadable): Promise<Map<string, Uint8Array>> {
  const zip = new ZipReader(zipReaderOf(file));
  const out = new Map<string, Uint8Array>();
  for (const entry of await zip.getEntries()) {
    if (!entry.directory) out.set(entry.filename, await entry.getData(new Uint8ArrayWriter()));
  }
  await zip.close();
  return out;
}

/** Where `a` and `b` first differ, -1 if they are equal (toEqual is too slow on megabytes). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.max(a.byteLength, b.byteLength); i++) if (a[i] !== b[i]) return i;
  return -1;
}

function expectEntries(found: Map<string, Uint8Array>): void {
  expect([...found.keys()].sort()).toEqual(Object.keys(entries).sort());
  for (const [name, content] of Object.entries(entries)) {
    const bytes = found.get(name)!;
    if (typeof content === 'string') expect(decode(bytes)).toBe(content);
    else expect(firstDifference(bytes, content)).toBe(-1);
  }
}

describe('zip.js adapters', () => {
  test('a zip written through zipWriterOf into a BufferOutputStream reads back through zipReaderOf over a BufferReader', async () => {
    const out = new BufferOutputStream();
    const zip = new ZipWriter(zipWriterOf(out));
    await addAll(zip);
    expect(await zip.close()).toBe(out);
    expect(out.closed).toBe(false);
    const archive = out.getValue();
    expectEntries(await readAll(new BufferReader(archive)));
  });

  test('zip.js itself reads what zipWriterOf wrote, and our reader reads what zip.js wrote to memory', async () => {
    const out = new BufferOutputStream();
    const ours = new ZipWriter(zipWriterOf(out));
    await addAll(ours);
    await ours.close();
    const theirs = new ZipReader(new Uint8ArrayReader(out.getValue().toBytes()));
    expect((await theirs.getEntries()).map((e) => e.filename).sort()).toEqual(Object.keys(entries).sort());
    await theirs.close();

    const memory = new ZipWriter(new Uint8ArrayWriter());
    await addAll(memory);
    const bytes = await memory.close();
    expectEntries(await readAll(new BlobFile(new Blob([bytes]))));
  });

  test('round-trips through an OSFile, and reads only the parts of a large file that it extracts', async () => {
    const { fresh } = tempFiles('zipjs');
    const path = fresh();
    const out = new OSFile(path, 'w');
    const zip = new ZipWriter(zipWriterOf(out));
    await addAll(zip);
    await zip.close();
    await out.close();

    const file = new OSFile(path, 'r');
    expectEntries(await readAll(file));
    expect(file.closed).toBe(false);

    let bytesRead = 0;
    const counting: ZipReadable = {
      size: () => file.size(),
      readAt: async (offset, n) => {
        const bytes = await file.readAt(offset, n);
        bytesRead += bytes.byteLength;
        return bytes;
      },
    };
    const reader = new ZipReader(zipReaderOf(counting));
    const hello = (await reader.getEntries()).find((e) => e.filename === 'hello.txt');
    expect(hello && !hello.directory && decode(await hello.getData(new Uint8ArrayWriter()))).toBe('Hello, zip');
    await reader.close();
    expect(bytesRead).toBeGreaterThan(0);
    expect(bytesRead).toBeLessThan(big.byteLength / 2);
    await file.close();
  });

  test('a zip in a Blob reads the same through BlobFile as through zip.js BlobReader', async () => {
    const memory = new ZipWriter(new Uint8ArrayWriter());
    await addAll(memory);
    const blob = new Blob([await memory.close()]);
    const viaZipJs = new ZipReader(new BlobReader(blob));
    const names = (await viaZipJs.getEntries()).map((e) => e.filename);
    await viaZipJs.close();
    expect([...(await readAll(new BlobFile(blob))).keys()]).toEqual(names);
  });

  test('rejects what is not a random-access file or an output stream', () => {
    expect(() => zipReaderOf({} as ZipReadable)).toThrow(TypeError);
    expect(() => zipWriterOf(null as unknown as BufferOutputStream)).toThrow(/output stream/);
  });
});
