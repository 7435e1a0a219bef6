/**
 * Defects found by trying the Node backends as a hostile user would (the reliability issue):
 * each test reproduces one and checks what the library does now.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  BufferedOutputStream,
  createMemoryMap,
  fromWritableStream,
  IOError,
  memoryMap,
  OSFile,
  outputStream,
  toReadableStream,
} from '../../src/node.js';
import { randomBytes, tempFiles } from '../helpers.js';

const { fresh } = tempFiles('reliability');
const openDescriptors = () => readdirSync('/proc/self/fd').length;

/** Counts the ticks of a 5 ms interval timer while `work` runs. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('OS files', () => {
  test('a file whose reported size is 0 (/proc) is read to its end', () => {
    using file = new OSFile('/proc/self/status');
    const text = new TextDecoder().decode(file.readSync());
    expect(text).toContain('Pid:');
    expect(text.length).toBeGreaterThan(100);
  });

  test('a FIFO is a stream: not seekable, read to its end; opening it async does not block the event loop', async () => {
    const path = fresh();
    execFileSync('mkfifo', [path]);
    const opening = OSFile.open(path, 'rb');
    // With no writer yet the open waits on the thread pool while timers still fire.
    const ticks = await ticksDuring(() => new Promise((resolve) => setTimeout(resolve, 60)));
    expect(ticks).toBeGreaterThan(3);
    const writer = spawn('sh', ['-c', `printf 'through the pipe' > '${path}'`]);
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    const file = await opening;
    expect(file.seekable()).toBe(false);
    expect(new TextDecoder().decode(await file.read())).toBe('through the pipe');
    await file.close();
    await exited;
  });

  test('a path with a NUL byte is a TypeError', () => {
    expect(() => new OSFile('bad\0path')).toThrow(TypeError);
  });

  test('reads of 2 GiB or more work, in pieces underneath', () => {
    const path = fresh();
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 3 * 2 ** 30);
    closeSync(fd);
    using file = new OSFile(path);
    const bytes = file.readAtSync(2 ** 30, 2 ** 31);
    expect(bytes.byteLength).toBe(2 ** 31);
    expect(bytes[bytes.byteLength - 1]).toBe(0);
  }, 60_000);

  test('async methods never block the event loop: timers fire during one 256 MiB read and a stream of it', async () => {
    const path = fresh();
    writeFileSync(path, randomBytes(256 * 2 ** 20));
    const file = new OSFile(path);
    let bytes = 0;
    expect(
      await ticksDuring(async () => {
        bytes = (await file.read()).byteLength;
      }),
    ).toBeGreaterThan(0);
    expect(bytes).toBe(256 * 2 ** 20);
    file.seek(0);
    let streamed = 0;
    expect(
      await ticksDuring(async () => {
        for await (const chunk of toReadableStream(file, { chunkSize: 1 << 20 }) as unknown as AsyncIterable<Uint8Array>) {
          streamed += chunk.byteLength;
        }
      }),
    ).toBeGreaterThan(0);
    expect(streamed).toBe(256 * 2 ** 20);
  }, 60_000);
});

describe('memory maps', () => {
  test('createMemoryMap with a size the file system refuses leaves the file intact, throws an IOError and leaks no descriptor', () => {
    const path = fresh();
    writeFileSync(path, 'precious');
    const before = openDescriptors();
    for (let i = 0; i < 20; i++) {
      expect(() => createMemoryMap(path, 2 ** 53 - 1)).toThrow(IOError);
    }
    // At most `before`: files dropped by earlier tests may be closed by the collector meanwhile.
    expect(openDescriptors()).toBeLessThanOrEqual(before);
    expect(readFileSync(path, 'utf8')).toBe('precious');
  });

  test('maps dropped without close() give their descriptors back when collected', async () => {
    const path = fresh();
    writeFileSync(path, 'some bytes');
    const before = openDescriptors();
    for (let i = 0; i < 200; i++) memoryMap(path).readAtSync(0, 4);
    expect(openDescriptors()).toBeGreaterThanOrEqual(before + 100);
    for (let i = 0; i < 10 && openDescriptors() > before + 5; i++) {
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(openDescriptors()).toBeLessThanOrEqual(before + 5);
  });

  test('a missing file is a FileNotFoundError and the size survives bad arguments', () => {
    expect(() => memoryMap(join(fresh(), 'nope'))).toThrow(/no such file/);
    const path = fresh();
    writeFileSync(path, 'abc');
    expect(() => createMemoryMap(path, -1)).toThrow(RangeError);
    expect(statSync(path).size).toBe(3);
  });
});

/** Collects garbage until `done()` holds (finalizers run in later tasks), for at most 3 s. */
async function collectUntil(done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 3000; !done() && Date.now() < deadline;) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a dropped BufferedOutputStream (PyArrow test_output_stream_destructor)', () => {
  test('writes out what it buffered and closes its raw file when collected', async () => {
    const path = fresh();
    const data = new TextEncoder().encode('some test data\n');
    (() => {
      const stream = outputStream(path, { bufferSize: 1024 });
      if (!stream.isSync) throw new Error('an OS file is synchronous');
      stream.writeSync(data);
    })();
    await collectUntil(() => readFileSync(path).byteLength > 0);
    expect(readFileSync(path)).toEqual(Buffer.from(data));
  });

  test('over an asynchronous raw stream too', async () => {
    const chunks: Uint8Array[] = [];
    (() => {
      const raw = fromWritableStream(new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk.slice()) }));
      const stream = new BufferedOutputStream(raw, 1024);
      void stream.write(new TextEncoder().encode('async data'));
    })();
    await collectUntil(() => chunks.length > 0);
    expect(new TextDecoder().decode(chunks[0])).toBe('async data');
  });

  test('a stream closed or detached is not written again', async () => {
    const path = fresh();
    (() => {
      const stream = outputStream(path, { bufferSize: 1024 });
      if (!stream.isSync) throw new Error('an OS file is synchronous');
      stream.writeSync(new TextEncoder().encode('once'));
      stream.closeSync();
    })();
    for (let i = 0; i < 20; i++) {
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(readFileSync(path, 'utf8')).toBe('once');
  });
});
