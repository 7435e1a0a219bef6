import { Readable } from 'node:stream';
import { describe, expect, test, vi } from 'vitest';
import {
  Buffer,
  BufferOutputStream,
  BufferReader,
  fromReadableStream,
  JsFile,
  MockOutputStream,
  toReadableStream,
  toWritableStream,
} from '../../src/index.js';
import { simulateByteStreams } from '../../src/adapters/web-streams/byte-streams.js';
import { randomBytes } from '../helpers.js';

const data = randomBytes(1_000_000);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.wrap(a).equals(b);

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const out = new BufferOutputStream();
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) out.writeSync(chunk);
  return out.getValue().view;
}

/** A stream whose pull never settles, as a live feed with nothing to say. */
function silentSource() {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull: () => new Promise<void>(() => {}),
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

/** A reader that fails after `okBytes` bytes, as a broken disk or network would. */
function failingFile(okBytes: number, error: Error) {
  let served = 0;
  return new JsFile({
    read(n: number) {
      if (served >= okBytes) throw error;
      const count = Math.min(n, okBytes - served);
      served += count;
      return new Uint8Array(count);
    },
  });
}

// Engines without byte streams (WebKit) get a native default stream: the same tests run on both.
for (const [name, byteStreams] of [
  ['byte streams', true],
  ['default streams (no byte stream support)', false],
] as const) {
  describe(`toReadableStream on ${name}`, () => {
    const withClasses = (body: () => Promise<void>) => async () => {
      simulateByteStreams(byteStreams);
      try {
        await body();
      } finally {
        simulateByteStreams(undefined);
      }
    };

    test(
      "returns the runtime's own ReadableStream, which Response reads whole",
      withClasses(async () => {
        const stream = toReadableStream(new BufferReader(data));
        expect(stream).toBeInstanceOf(ReadableStream);
        expect(same(new Uint8Array(await new Response(stream).arrayBuffer()), data)).toBe(true);
      }),
    );

    test(
      'pipeThrough(CompressionStream) accepts it',
      withClasses(async () => {
        const packed = toReadableStream(new BufferReader(data)).pipeThrough(
          new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>,
        );
        const back = new Uint8Array(
          await new Response(
            packed.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>),
          ).arrayBuffer(),
        );
        expect(same(back, data)).toBe(true);
      }),
    );

    test.runIf(byteStreams)(
      'a BYOB reader after a default reader gets the bytes read ahead first, then the rest in its own memory',
      withClasses(async () => {
        const file = new BufferReader(data);
        const stream = toReadableStream(file, { chunkSize: 1000 });
        const first = stream.getReader();
        const head = await first.read();
        first.releaseLock();
        const parts = [head.value!];
        const reader = stream.getReader({ mode: 'byob' });
        let view = new Uint8Array(64 * 1024);
        for (let r = await reader.read(view); !r.done; r = await reader.read(view)) {
          parts.push(r.value.slice());
          view = new Uint8Array(r.value.buffer);
        }
        const out = new BufferOutputStream();
        for (const part of parts) out.writeSync(part);
        expect(same(out.getValue().view, data)).toBe(true);
        expect(file.closed).toBe(true);
      }),
    );

    test.runIf(byteStreams)(
      'a BYOB reader is filled in its own memory',
      withClasses(async () => {
        const stream = toReadableStream(new BufferReader(data));
        const reader = stream.getReader({ mode: 'byob' });
        let view = new Uint8Array(4096);
        const result = await reader.read(view);
        expect(result.done).toBe(false);
        expect(result.value!.byteLength).toBe(4096);
        expect(same(result.value!, data.subarray(0, 4096))).toBe(true);
        view = new Uint8Array(result.value!.buffer);
        const next = await reader.read(view.subarray(0, 100));
        expect(same(next.value!, data.subarray(4096, 4196))).toBe(true);
        await reader.cancel();
      }),
    );

    test(
      'a default reader gets chunks of chunkSize that add up to the file',
      withClasses(async () => {
        const file = new BufferReader(data);
        file.seek(10);
        const reader = toReadableStream(file, { chunkSize: 100_000 }).getReader();
        const sizes: number[] = [];
        const out = new BufferOutputStream();
        for (let r = await reader.read(); !r.done; r = await reader.read()) {
          sizes.push(r.value.byteLength);
          out.writeSync(r.value);
        }
        expect(sizes.slice(0, 9)).toEqual(Array(9).fill(100_000));
        expect(same(out.getValue().view, data.subarray(10))).toBe(true);
        expect(file.closed).toBe(true);
      }),
    );

    test(
      'a default reader of a random-access file has the next chunk read while it handles one',
      withClasses(async () => {
        const file = new BufferReader(data);
        const reader = toReadableStream(file, { chunkSize: 1000 }).getReader();
        const first = await reader.read();
        expect(same(first.value!, data.subarray(0, 1000))).toBe(true);
        // The next chunk was read ahead of the reader.
        expect(file.tell()).toBe(2000);
        const second = await reader.read();
        expect(same(second.value!, data.subarray(1000, 2000))).toBe(true);
        await reader.cancel();
        expect(file.closed).toBe(true);
      }),
    );

    test(
      'each chunk of a default reader is its own memory, which the reader may keep',
      withClasses(async () => {
        const chunks: Uint8Array[] = [];
        for await (const chunk of toReadableStream(new BufferReader(data), {
          chunkSize: 300_000,
        }) as unknown as AsyncIterable<Uint8Array>) {
          chunks.push(chunk);
        }
        expect(new Set(chunks.map((chunk) => chunk.buffer)).size).toBe(chunks.length);
        expect(chunks.map((chunk) => chunk.byteLength)).toEqual([300_000, 300_000, 300_000, 100_000]);
        // The last, short chunk holds no more memory than its bytes need, and nothing but them.
        expect(chunks[3]!.buffer.byteLength).toBe(100_000);
        expect(same(chunks[3]!, data.subarray(900_000))).toBe(true);
      }),
    );

    test(
      'a short last chunk shows nothing but zeros past its bytes in its ArrayBuffer',
      withClasses(async () => {
        // Chunks are not cleared before the read that fills them: memory freed by earlier
        // chunks full of 0xff may come back for the last one.
        const full = new Uint8Array(4_000_000).fill(0xff);
        for (let round = 0; round < 3; round++) {
          await new Response(toReadableStream(new BufferReader(full), { chunkSize: 600_000 })).arrayBuffer();
          const chunks: Uint8Array[] = [];
          for await (const chunk of toReadableStream(new BufferReader(data), {
            chunkSize: 600_000,
          }) as unknown as AsyncIterable<Uint8Array>) {
            chunks.push(chunk);
          }
          const last = chunks.at(-1)!;
          expect(last.byteLength).toBe(400_000);
          expect(same(last, data.subarray(600_000))).toBe(true);
          const after = new Uint8Array(last.buffer, last.byteOffset + last.byteLength);
          expect(after.every((byte) => byte === 0)).toBe(true);
        }
      }),
    );

    test(
      'a read ahead that fails errors the stream with that error when the reader gets there, and closes the file',
      withClasses(async () => {
        const failure = new Error('bad sector');
        let position = 0;
        const file = new JsFile({
          read(n: number) {
            if (position >= 3000) throw failure;
            const out = data.slice(position, position + n);
            position += out.byteLength;
            return out;
          },
          seek(offset: number) {
            position = offset;
          },
          tell: () => position,
          size: () => data.byteLength,
        });
        expect(file.seekable()).toBe(true);
        const reader = toReadableStream(file, { chunkSize: 1000 }).getReader();
        for (let i = 0; i < 3; i++)
          expect(same((await reader.read()).value!, data.subarray(i * 1000, (i + 1) * 1000))).toBe(true);
        await expect(reader.read()).rejects.toBe(failure);
        expect(file.closed).toBe(true);
      }),
    );

    test(
      'cancel closes the file',
      withClasses(async () => {
        const file = new BufferReader(data);
        const reader = toReadableStream(file).getReader();
        await reader.read();
        expect(file.closed).toBe(false);
        await reader.cancel('enough');
        expect(file.closed).toBe(true);
      }),
    );

    test(
      'an error of the file errors the stream with the same error',
      withClasses(async () => {
        const failure = new Error('disk on fire');
        const file = failingFile(200_000, failure);
        const stream = toReadableStream(file, { chunkSize: 65_536 });
        await expect(collect(stream)).rejects.toBe(failure);
        expect(file.closed).toBe(true);
      }),
    );

    test(
      'an AbortSignal errors the stream with its reason and closes the file',
      withClasses(async () => {
        const controller = new AbortController();
        const file = new BufferReader(data);
        const reader = toReadableStream(file, { signal: controller.signal }).getReader();
        await reader.read();
        controller.abort(new Error('stop'));
        await expect(reader.read()).rejects.toThrow('stop');
        await new Promise((resolve) => setTimeout(resolve, 0));
        expect(file.closed).toBe(true);
      }),
    );

    test(
      'cancel while a read waits on a silent stream resolves, closes the file and cancels the stream',
      withClasses(async () => {
        const silent = silentSource();
        const file = fromReadableStream(silent.stream);
        const reader = toReadableStream(file).getReader();
        const read = reader.read();
        await new Promise((resolve) => setTimeout(resolve, 0)); // the stream's pull is now waiting
        await reader.cancel('enough');
        expect(await read).toEqual({ done: true, value: undefined });
        expect(file.closed).toBe(true);
        expect(silent.cancelled()).toBe(true);
      }),
    );

    test(
      'an AbortSignal while a read waits on a silent stream cancels that stream',
      withClasses(async () => {
        const silent = silentSource();
        const controller = new AbortController();
        const reader = toReadableStream(fromReadableStream(silent.stream), { signal: controller.signal }).getReader();
        const read = reader.read();
        await new Promise((resolve) => setTimeout(resolve, 0)); // the stream's pull is now waiting
        controller.abort(new Error('stop'));
        await expect(read).rejects.toThrow('stop');
        await vi.waitFor(() => expect(silent.cancelled()).toBe(true));
      }),
    );

    test(
      'pipes into toWritableStream',
      withClasses(async () => {
        const out = new BufferOutputStream();
        await toReadableStream(new BufferReader(data)).pipeTo(toWritableStream(out));
        expect(out.closed).toBe(true);
        expect(same(out.getValue().view, data)).toBe(true);
      }),
    );
  });
}

describe('toReadableStream with the platform', () => {
  test('new Response(stream) reads it whole', async () => {
    const body = await new Response(toReadableStream(new BufferReader(data))).arrayBuffer();
    expect(same(new Uint8Array(body), data)).toBe(true);
  });

  test('Readable.fromWeb turns it into a Node stream', async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of Readable.fromWeb(toReadableStream(new BufferReader(data)) as never)) chunks.push(chunk);
    expect(chunks.reduce((n, c) => n + c.byteLength, 0)).toBe(data.byteLength);
  });

  test('pipeThrough(CompressionStream) and back gives the bytes', async () => {
    type Pair = ReadableWritablePair<Uint8Array, Uint8Array>;
    const gzipped = toReadableStream(new BufferReader(data)).pipeThrough(new CompressionStream('gzip') as unknown as Pair);
    const back = await collect(gzipped.pipeThrough(new DecompressionStream('gzip') as unknown as Pair));
    expect(same(back, data)).toBe(true);
  });

  test('rejects bad arguments', () => {
    expect(() => toReadableStream({} as never)).toThrow(/file must be a NativeFile/);
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    expect(() => toReadableStream(new MockOutputStream())).toThrow(/readable/);
    expect(() => toReadableStream(new BufferReader(data), { chunkSize: 0 })).toThrow(RangeError);
  });

  test('streams 256 MiB with bounded memory', async () => {
    const total = 256 * 1024 * 1024;
    let produced = 0;
    const source = new JsFile({
      read(n: number) {
        const count = Math.min(n, total - produced);
        produced += count;
        return new Uint8Array(count).fill(produced & 0xff);
      },
    });
    const sink = new MockOutputStream();
    let peak = 0;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }, 5);
    const before = process.memoryUsage().arrayBuffers;
    await toReadableStream(source, { chunkSize: 1024 * 1024 }).pipeTo(toWritableStream(sink));
    clearInterval(sample);
    expect(sink.closed).toBe(true);
    expect(produced).toBe(total);
    // Everything passed through; what was held at once stayed far below the total.
    expect(peak - before).toBeLessThan(total / 4);
  }, 60_000);
});
