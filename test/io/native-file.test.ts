/**
 * The NativeFile contract for asynchronous, non-seekable backends, exercised through the
 * smallest possible backend: a stream over a list of chunks that answers after a tick.
 */
import { describe, expect, test } from 'vitest';
import { BufferOutputStream, NativeFile, UnsupportedOperationError } from '../../src/index.js';
import { decode, encode } from '../helpers.js';

class ChunkStream extends NativeFile {
  readonly mode = 'rb';
  readonly isSync = false;
  readonly #chunks: Uint8Array[];
  reads = 0;

  constructor(chunks: string[]) {
    super();
    this.#chunks = chunks.map(encode);
  }

  protected isSeekable(): boolean {
    return false;
  }

  protected async readAtImpl(_position: number, into: Uint8Array): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.reads++;
    const chunk = this.#chunks[0];
    if (chunk === undefined) return 0;
    const count = Math.min(chunk.byteLength, into.byteLength);
    into.set(chunk.subarray(0, count));
    if (count === chunk.byteLength) this.#chunks.shift();
    else this.#chunks[0] = chunk.subarray(count);
    return count;
  }
}

describe('an asynchronous, non-seekable file', () => {
  test('reads everything across chunk boundaries and tracks the position', async () => {
    const f = new ChunkStream(['hello ', 'world', '!']);
    expect(decode(await f.read(3))).toBe('hel');
    expect(f.tell()).toBe(3);
    expect(decode(await f.read())).toBe('lo world!');
    expect((await f.read()).byteLength).toBe(0);
  });

  test('read1 does at most one read of the backend', async () => {
    const f = new ChunkStream(['hello ', 'world']);
    expect(decode(await f.read1(100))).toBe('hello ');
    expect(f.reads).toBe(1);
  });

  test('readline works byte by byte and iteration yields lines', async () => {
    const f = new ChunkStream(['a\nbb', '\nccc']);
    expect(decode(await f.readline())).toBe('a\n');
    const rest: string[] = [];
    for await (const line of f) rest.push(decode(line));
    expect(rest).toEqual(['bb\n', 'ccc']);
  });

  test('readBuffer returns pool memory holding the bytes', async () => {
    const f = new ChunkStream(['abc', 'def']);
    const buf = await f.readBuffer(5);
    expect(decode(buf.view)).toBe('abcde');
    expect(buf.address % 64).toBe(0);
  });

  test('the Sync methods, seek and readAt throw UnsupportedOperationError', async () => {
    const f = new ChunkStream(['abc']);
    expect(f.isSync).toBe(false);
    expect(f.seekable()).toBe(false);
    for (const call of [
      () => f.readSync(), () => f.readBufferSync(), () => f.readIntoSync(new Uint8Array(1)),
      () => f.sizeSync(), () => f.flushSync(), () => f.closeSync(), () => f.seek(0),
      () => f[Symbol.dispose](),
    ]) {
      expect(call).toThrow(UnsupportedOperationError);
    }
    await expect(f.readAt(0, 1)).rejects.toThrow(/does not support readAt/);
    expect(f.closed).toBe(false);
    await f[Symbol.asyncDispose]();
    expect(f.closed).toBe(true);
  });

  test('upload from it reports progress with an unknown total', async () => {
    const out = new BufferOutputStream();
    const totals: Array<number | undefined> = [];
    await out.upload(new ChunkStream(['abc', 'def']), { onProgress: (_done, total) => totals.push(total) });
    expect(decode(out.getValue().view)).toBe('abcdef');
    expect(totals.every((total) => total === undefined)).toBe(true);
  });
});
