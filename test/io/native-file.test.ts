/**
 * The file core's contract, exercised through the smallest possible backend: a stream over
 * a list of chunks that answers after a tick (a plain `UnderlyingFile` object).
 */
import { describe, expect, test } from 'vitest';
import {
  allocateBuffer,
  BufferOutputStream,
  BufferReader,
  fileClass,
  IOError,
  NativeFile,
  systemMemoryPool,
  totalAllocatedBytes,
  UnsupportedOperationError,
  type InputStream,
  type UnderlyingFile,
} from '../../src/index.js';
import { decode, encode } from '../helpers.js';

/** The documented way to build a file class: its reads that cannot slice use the default pool. */
class ChunkStream extends fileClass<InputStream>() {}

function chunkStream(chunks: string[], built: 'directly' | 'fileClass' = 'directly'): { file: NativeFile; reads: () => number } {
  const pending = chunks.map(encode);
  let reads = 0;
  const source: UnderlyingFile = {
    async read(into) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      reads++;
      const chunk = pending[0];
      if (chunk === undefined) return 0;
      const count = Math.min(chunk.byteLength, into.byteLength);
      into.set(chunk.subarray(0, count));
      if (count === chunk.byteLength) pending.shift();
      else pending[0] = chunk.subarray(count);
      return count;
    },
  };
  const traits = { kind: 'ChunkStream', mode: 'rb', seekable: false, sync: false } as const;
  const file = built === 'directly' ? new NativeFile(source, traits) : (new ChunkStream(source, traits) as unknown as NativeFile);
  return { file, reads: () => reads };
}

describe('an asynchronous, non-seekable file', () => {
  test('reads everything across chunk boundaries and tracks the position', async () => {
    const { file: f } = chunkStream(['hello ', 'world', '!']);
    expect(decode(await f.read(3))).toBe('hel');
    expect(f.tell()).toBe(3);
    expect(decode(await f.read())).toBe('lo world!');
    expect((await f.read()).byteLength).toBe(0);
  });

  test('read1 does at most one read of the backend', async () => {
    const { file: f, reads } = chunkStream(['hello ', 'world']);
    expect(decode(await f.read1(100))).toBe('hello ');
    expect(reads()).toBe(1);
  });

  test('lines() yields lines; what a line read fetched ahead is read next', async () => {
    const { file: f } = chunkStream(['a\nbb', '\nccc']);
    expect(decode(await f.readline())).toBe('a\n');
    const rest: string[] = [];
    for await (const line of f.lines()) rest.push(decode(line));
    expect(rest).toEqual(['bb\n', 'ccc']);
  });

  test('a long line on a stream costs few backend reads, not one per byte', async () => {
    const line = 'x'.repeat(4_000_000) + '\n';
    const { file: f, reads } = chunkStream([line.slice(0, 2_000_000), line.slice(2_000_000), 'tail']);
    expect((await f.readline()).byteLength).toBe(4_000_001);
    expect(reads()).toBeLessThan(40);
    expect(decode(await f.read())).toBe('tail');
  });

  test('lines() throws an IOError past maxLineLength', async () => {
    const { file: f } = chunkStream(['short\n', 'x'.repeat(10_000), '\n']);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const line of f.lines({ maxLineLength: 1000 })) seen.push(decode(line));
      })(),
    ).rejects.toMatchObject({ code: 'ELINE' });
    expect(seen).toEqual(['short\n']);
  });

  test('async iteration yields chunks, as a ReadableStream does', async () => {
    const { file: f } = chunkStream(['ab\ncd', 'ef']);
    const chunks: string[] = [];
    for await (const chunk of f) chunks.push(decode(chunk));
    expect(chunks).toEqual(['ab\ncd', 'ef']);
  });

  test('readBuffer returns pool memory holding the bytes (a class from fileClass)', async () => {
    const { file: f } = chunkStream(['abc', 'def'], 'fileClass');
    const before = totalAllocatedBytes();
    const buf = await f.readBuffer(5);
    expect(decode(buf.view)).toBe('abcde');
    expect(buf.address % 64).toBe(0);
    expect(totalAllocatedBytes()).toBe(before + 64);
    buf.release();
  });

  test('readBuffer of a NativeFile constructed directly wraps the bytes it read (no pool)', async () => {
    const { file: f } = chunkStream(['abc', 'def']);
    const before = totalAllocatedBytes();
    const buf = await f.readBuffer(5);
    expect(decode(buf.view)).toBe('abcde');
    expect(buf.isMutable).toBe(true);
    expect(totalAllocatedBytes()).toBe(before);
  });

  test('readBuffer of a NativeFile given traits.allocate reads into its memory', async () => {
    const source: UnderlyingFile = { read: (into) => (into.set(encode('xyz')), 3) };
    const given: number[] = [];
    const f = new NativeFile(source, {
      kind: 'Allocating',
      mode: 'rb',
      seekable: false,
      sync: true,
      allocate: (size) => (given.push(size), allocateBuffer(size, { pool: systemMemoryPool() })),
    });
    expect(decode(f.readBufferSync(3).view)).toBe('xyz');
    expect(given).toEqual([3]);
  });

  test('the Sync methods, seek and readAt throw UnsupportedOperationError', async () => {
    const { file: f } = chunkStream(['abc']);
    expect(f.isSync).toBe(false);
    expect(f.seekable()).toBe(false);
    for (const call of [
      () => f.readSync(),
      () => f.readBufferSync(),
      () => f.readIntoSync(new Uint8Array(1)),
      () => f.sizeSync(),
      () => f.flushSync(),
      () => f.closeSync(),
      () => f.seek(0),
      () => f[Symbol.dispose](),
    ]) {
      expect(call).toThrow(UnsupportedOperationError);
    }
    await expect(f.readAt(0, 1)).rejects.toThrow(/not seekable/);
    expect(f.closed).toBe(false);
    await f[Symbol.asyncDispose]();
    expect(f.closed).toBe(true);
  });

  test('upload from it reports progress with an unknown total', async () => {
    const out = new BufferOutputStream();
    const totals: Array<number | undefined> = [];
    await out.upload(chunkStream(['abc', 'def']).file, { onProgress: (_done, total) => totals.push(total) });
    expect(decode(out.getValue().view)).toBe('abcdef');
    expect(totals.every((total) => total === undefined)).toBe(true);
  });
});

describe('upload, download and close are ordered with the calls around them', () => {
  test('an upload is one operation: a write called after it lands after it, and close waits for it', async () => {
    const out = new BufferOutputStream();
    const upload = out.upload([encode('AAAA'), encode('AA')]);
    const write = out.write(encode('BBBB'));
    const closing = out.close();
    expect(await upload).toBe(6);
    await write;
    await closing;
    expect(decode(out.getValue().view)).toBe('AAAAAABBBB');
  });

  test('a download reads from the start even when a read is called right after it', async () => {
    const f = new BufferReader(encode('0123456789'));
    f.seek(4);
    const sink = new BufferOutputStream();
    const download = f.download(sink);
    const read = f.read(3);
    expect(await download).toBe(10);
    expect(decode(sink.getValue().view)).toBe('0123456789');
    expect((await read).byteLength).toBe(0);
  });

  test('closeSync while a positional read is in flight is EBUSY, not a read of a reused descriptor', async () => {
    const slow: UnderlyingFile = {
      readAt: (_position, into) => new Promise<number>((resolve) => setTimeout(() => resolve(into.byteLength), 5)),
      size: () => 100,
      close: () => undefined,
    };
    const f = new NativeFile(slow, { kind: 'Slow', mode: 'rb', seekable: true, sync: true });
    const pending = f.readAt(0, 10);
    expect(() => f.closeSync()).toThrow(expect.objectContaining({ code: 'EBUSY' }) as Error);
    await pending;
    f.closeSync();
    expect(f.closed).toBe(true);
  });
});

describe('overlapping calls behave as if queued in call order', () => {
  test('concurrent reads of a stream read consecutive bytes', async () => {
    const { file: f } = chunkStream(['0123456789']);
    const [a, b] = await Promise.all([f.read(5), f.read(5)]);
    expect([decode(a), decode(b)]).toEqual(['01234', '56789']);
  });

  test('concurrent reads of an in-memory file read consecutive bytes', async () => {
    const f = new BufferReader(encode('0123456789'));
    const [a, b] = await Promise.all([f.read(5), f.read(5)]);
    expect([decode(a), decode(b)]).toEqual(['01234', '56789']);
  });

  test('concurrent writes land in call order', async () => {
    const out = new BufferOutputStream();
    await Promise.all([out.write(encode('AAAA')), out.write(encode('BBBB'))]);
    expect(decode(out.getValue().view)).toBe('AAAABBBB');
  });

  test('close waits for the pending operations, later calls fail', async () => {
    const { file: f } = chunkStream(['abc', 'def']);
    const read = f.read();
    const closing = f.close();
    await expect(f.read()).rejects.toThrow(/closed/);
    expect(decode(await read)).toBe('abcdef');
    await closing;
  });

  test('a synchronous call while an async one is pending is an EBUSY error, not a reordering', async () => {
    const slow: UnderlyingFile = {
      readAt: () => new Promise<number>((resolve) => setTimeout(() => resolve(0), 5)),
      size: () => 10,
    };
    const f = new NativeFile(slow, { kind: 'Slow', mode: 'rb', seekable: true, sync: false });
    const pending = f.read(1);
    expect(() => f.seek(0)).toThrow(IOError);
    await pending;
    expect(f.seek(0)).toBe(0);
  });
});

describe('the synchronous fast paths', () => {
  /** A synchronous random-access backend that answers at most `most` bytes per read. */
  function shortReads(bytes: Uint8Array, most: number): { file: NativeFile; calls: string[] } {
    const calls: string[] = [];
    const source: UnderlyingFile = {
      readAt(position, into) {
        calls.push(`readAt ${position} ${into.byteLength}`);
        const count = Math.max(0, Math.min(into.byteLength, most, bytes.byteLength - position));
        into.set(bytes.subarray(position, position + count));
        return count;
      },
      writeAt(position, data) {
        calls.push(`writeAt ${position} ${data.byteLength}`);
      },
      size: () => bytes.byteLength,
    };
    return { file: new NativeFile(source, { kind: 'ShortReads', mode: 'rb+', seekable: true, sync: true }), calls };
  }

  test('readSync keeps reading after a short read, as the generic path does', () => {
    const { file, calls } = shortReads(encode('abcdefghij'), 3);
    file.seek(1);
    expect(decode(file.readSync(7))).toBe('bcdefgh');
    expect(file.tell()).toBe(8);
    expect(calls).toEqual(['readAt 1 7', 'readAt 4 4', 'readAt 7 1']);
    expect(decode(file.readSync(5))).toBe('ij');
    expect(file.readSync(5).byteLength).toBe(0);
  });

  test('writeSync of nothing never calls the backend (its views are never empty)', () => {
    const { file, calls } = shortReads(encode('abc'), 3);
    expect(file.writeSync(new Uint8Array(0))).toBe(0);
    expect(file.writeSync(encode('xy'))).toBe(2);
    expect(file.tell()).toBe(2);
    expect(calls).toEqual(['writeAt 0 2']);
  });

  test('a synchronous backend answering with a promise is an internal error, not a wrong result', () => {
    const source: UnderlyingFile = {
      size: () => 10,
      sliceAt: () => Promise.resolve(new BufferReader(encode('x')).readBufferSync()),
    };
    const file = new NativeFile(source, { kind: 'Broken', mode: 'rb', seekable: true, sync: true });
    expect(() => file.readBufferSync(3)).toThrow(expect.objectContaining({ code: 'EINTERNAL' }) as Error);
    expect(file.tell()).toBe(0);
  });

  test('readBufferSync on a BufferReader slices, moves the position and stops at the end', () => {
    const reader = new BufferReader(encode('hello world'));
    const first = reader.readBufferSync(5);
    expect(decode(first.view)).toBe('hello');
    expect(first.parent).not.toBeNull();
    expect(decode(reader.readBufferSync(100).view)).toBe(' world');
    expect(reader.readBufferSync(1).size).toBe(0);
    expect(reader.tell()).toBe(11);
  });
});
