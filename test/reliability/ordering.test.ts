/**
 * Defects a review of the file core found (each test failed before its fix): positional reads
 * over an object with one position, read-ahead kept across a resize, writes lost by a detach.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  BufferedInputStream,
  BufferedOutputStream,
  BufferOutputStream,
  ClosedFileError,
  fromReadableStream,
  JsFile,
  memoryMap,
  toReadableStream,
} from '../../src/node.js';
import { decode, encode, tempFiles } from '../helpers.js';

const { fresh } = tempFiles('ordering');

describe('review fixes', () => {
  test('overlapping positional reads of a seekable duck-typed reader get their own bytes', async () => {
    const bytes = Uint8Array.from({ length: 200 }, (_, i) => i);
    let position = 0;
    const file = new JsFile({
      read: async (n: number) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const out = bytes.slice(position, position + n);
        position += out.length;
        return out;
      },
      seek: async (offset: number) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        position = offset;
      },
      tell: () => position,
    });
    const [a, b] = await Promise.all([file.readAt(0, 4), file.readAt(100, 4)]);
    expect([Array.from(a), Array.from(b)]).toEqual([
      [0, 1, 2, 3],
      [100, 101, 102, 103],
    ]);
  });

  test('a memory map resized smaller does not serve bytes read ahead past its new end', () => {
    const path = fresh();
    writeFileSync(path, 'line1\nline2\nline3\n');
    using map = memoryMap(path, 'r+');
    expect(decode(map.readlineSync())).toBe('line1\n');
    map.resize(6);
    expect(map.sizeSync()).toBe(6);
    expect(map.readlineSync().byteLength).toBe(0);
  });

  test('detach() keeps the writes called before it and refuses those after it', async () => {
    const raw = new BufferOutputStream();
    const buffered = new BufferedOutputStream(raw, 64);
    const first = buffered.write(encode('A'));
    const detached = buffered.detach();
    await expect(buffered.write(encode('B'))).rejects.toThrow(ClosedFileError);
    await first;
    expect(await detached).toBe(raw);
    expect(raw.closed).toBe(false);
    expect(decode(raw.getValue().view)).toBe('A');
  });

  test('a live stream is never waited on until a buffer is full: buffered lines and stream chunks come as the bytes do', async () => {
    /** A stream that gives one line, then nothing until `end()`. */
    const live = () => {
      let end!: () => void;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encode('hello\n'));
          end = () => controller.close();
        },
      });
      return { stream, end: () => end() };
    };
    const first = live();
    const buffered = new BufferedInputStream(fromReadableStream(first.stream), 1024);
    expect(decode(await buffered.readline())).toBe('hello\n');
    first.end();
    const second = live();
    const reader = toReadableStream(fromReadableStream(second.stream), { chunkSize: 1024 }).getReader();
    const chunk = await reader.read();
    expect(decode(chunk.value!)).toBe('hello\n');
    second.end();
    await reader.cancel();
  });
});
