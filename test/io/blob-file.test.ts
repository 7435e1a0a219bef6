import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { BlobFile, BlobOutputStream, Buffer, ClosedFileError, totalAllocatedBytes } from '../../src/index.js';
import { encode, randomBytes } from '../helpers.js';

/** A real Blob whose slice() calls are counted. */
function countedBlob(bytes: Uint8Array): { blob: Blob; slices: () => number } {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  let count = 0;
  const original = blob.slice.bind(blob);
  blob.slice = (...args: Parameters<Blob['slice']>) => {
    count++;
    return original(...args);
  };
  return { blob, slices: () => count };
}

describe('BlobFile', () => {
  const data = randomBytes(1_000_000);

  test('random reads agree with the bytes, whatever the read-ahead', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 200_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1_100_000 }), fc.integer({ min: 0, max: 300_000 })), { maxLength: 8 }),
        async (readAhead, reads) => {
          const file = new BlobFile(new Blob([data as Uint8Array<ArrayBuffer>]), { readAhead });
          for (const [offset, n] of reads) {
            const got = await file.readAt(offset, n);
            expect(Buffer.wrap(got).equals(data.subarray(offset, offset + n))).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  test('the bytes a read returns belong to the caller: changing them changes no later read', async () => {
    // Reads return the memory the Blob's reads made, without a copy: each byte is handed out once.
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom('read', 'readAt', 'readBuffer'),
            fc.integer({ min: 0, max: 150_000 }),
            fc.integer({ min: 0, max: 40_000 }),
          ),
          { maxLength: 12 },
        ),
        async (calls) => {
          calls.unshift(['read', 0, 100], ['read', 0, 100]); // a read behind what was read ahead
          const file = new BlobFile(new Blob([data as Uint8Array<ArrayBuffer>]), { readAhead: 64 * 1024 });
          for (const [method, offset, n] of calls) {
            let got: Uint8Array;
            let expected: Uint8Array;
            if (method === 'readAt') {
              got = await file.readAt(offset, n);
              expected = data.subarray(offset, offset + n);
            } else {
              file.seek(offset);
              got = method === 'read' ? await file.read(n) : (await file.readBuffer(n)).view;
              expected = data.subarray(offset, offset + n);
            }
            expect(Buffer.wrap(got).equals(expected)).toBe(true);
            got.fill(0xff);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('readBuffer wraps the bytes read and takes no pool memory', async () => {
    const file = new BlobFile(new Blob([data as Uint8Array<ArrayBuffer>]));
    const before = totalAllocatedBytes();
    const buffer = await file.readBuffer(300_000);
    expect(totalAllocatedBytes()).toBe(before);
    expect(buffer.isMutable).toBe(true);
    expect(buffer.equals(data.subarray(0, 300_000))).toBe(true);
  });

  test('sequential small reads share one slice per read-ahead window', async () => {
    const { blob, slices } = countedBlob(data);
    const file = new BlobFile(blob, { readAhead: 100_000 });
    for (let i = 0; i < 100; i++) await file.read(1000);
    expect(slices()).toBe(1);
    await file.read(1000);
    expect(slices()).toBe(2);
  });

  test('close does not wait for positional reads in flight, which still return their bytes', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const blob = new Blob([data as Uint8Array<ArrayBuffer>]);
    const slice = blob.slice.bind(blob);
    // A Blob whose reads wait until the test lets them go.
    blob.slice = (...args: Parameters<Blob['slice']>) => {
      const part = slice(...args);
      const read = part.arrayBuffer.bind(part);
      part.arrayBuffer = () => held.then(read);
      return part;
    };
    const file = new BlobFile(blob);
    const reads = [file.readAt(10, 100), file.readAt(500_000, 65_536)];
    await file.close(); // a Blob has nothing to release: this settles with the reads pending
    await expect(file.readAt(0, 1)).rejects.toThrow(ClosedFileError);
    release();
    const [first, second] = await Promise.all(reads);
    expect(Buffer.wrap(first!).equals(data.subarray(10, 110))).toBe(true);
    expect(Buffer.wrap(second!).equals(data.subarray(500_000, 565_536))).toBe(true);
  });

  test('seeks from the end without I/O, reads lines, and is read-only', async () => {
    const file = new BlobFile(new Blob([encode('first\nsecond\nthird') as Uint8Array<ArrayBuffer>]));
    expect(file.seek(-5, 2)).toBe(13);
    expect(new TextDecoder().decode(await file.read())).toBe('third');
    file.seek(0);
    expect(new TextDecoder().decode(await file.readline())).toBe('first\n');
    expect(await file.size()).toBe(18);
    expect(file.writable()).toBe(false);
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    expect(() => file.readSync()).toThrow(/asynchronous/);
    await file.close();
    await expect(file.read()).rejects.toThrow(ClosedFileError);
    expect(() => new BlobFile(data as never)).toThrow(/Blob or File/);
  });
});

describe('BlobOutputStream', () => {
  test('collects writes of every size into a Blob of the given type', async () => {
    const out = new BlobOutputStream({ type: 'application/x-test' });
    const big = randomBytes(700_000, 3);
    out.writeSync(encode('head'));
    for (let i = 0; i < 3000; i++) out.writeSync(new Uint8Array(500).fill(i & 0xff));
    await out.write(big);
    expect(out.sizeSync()).toBe(4 + 1_500_000 + 700_000);
    const blob = out.getValue();
    expect(out.getValue()).toBe(blob);
    expect(blob.type).toBe('application/x-test');
    expect(blob.size).toBe(4 + 1_500_000 + 700_000);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('head');
    expect(bytes[4 + 500 * 7]).toBe(7);
    expect(Buffer.wrap(bytes.subarray(1_500_004)).equals(big)).toBe(true);
    expect(() => out.writeSync(encode('late'))).toThrow(ClosedFileError);
  });

  test('getValue right after an unawaited close returns the Blob', async () => {
    const out = new BlobOutputStream();
    out.writeSync(encode('abc'));
    const closing = out.close();
    const blob = out.getValue();
    expect(await blob.text()).toBe('abc');
    await closing;
  });
});
