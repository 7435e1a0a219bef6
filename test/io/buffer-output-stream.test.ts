import { describe, expect, test } from 'vitest';
import {
  Buffer,
  BufferOutputStream,
  ClosedFileError,
  proxyMemoryPool,
  systemMemoryPool,
  UnsupportedOperationError,
} from '../../src/index.js';
import { decode, encode } from '../helpers.js';

describe('BufferOutputStream', () => {
  test('collects writes into one buffer (PyArrow test_memory_output_stream)', () => {
    const val = encode('dataabcdef');
    const f = new BufferOutputStream();
    for (let i = 0; i < 1000; i++) expect(f.writeSync(val)).toBe(10);
    expect(f.tell()).toBe(10_000);
    expect(f.sizeSync()).toBe(10_000);
    const buf = f.getValue();
    expect(buf.size).toBe(10_000);
    expect(new TextDecoder().decode(buf.view)).toBe('dataabcdef'.repeat(1000));
  });

  test('accepts any bytes and refuses strings (ARROW-3227)', async () => {
    const f = new BufferOutputStream();
    await f.write(new Uint16Array([0x6b6f]));
    await f.write(Buffer.wrap(encode('ok')));
    await f.write(encode('ok').buffer);
    await expect(f.write('foo' as never)).rejects.toThrow(TypeError);
    expect(() => f.writeSync('foo' as never)).toThrow(/got "foo"/);
    expect(new TextDecoder().decode(f.getValue().view)).toBe('okokok');
  });

  test('refuses detached memory and rejects writes after getValue, naming what was wrong', () => {
    const f = new BufferOutputStream();
    const gone = new Uint8Array(8);
    structuredClone(gone.buffer, { transfer: [gone.buffer] });
    expect(() => f.writeSync(gone)).toThrow(/detached/);
    expect(() => f.writeSync(42 as never)).toThrow(/got 42/);
    expect(f.tell()).toBe(0);
  });

  test('getValue closes the stream and can be called again', () => {
    const f = new BufferOutputStream();
    f.writeSync(encode('ok'));
    expect(f.closed).toBe(false);
    const first = f.getValue();
    expect(f.closed).toBe(true);
    expect(f.getValue()).toBe(first);
    expect(() => f.writeSync(encode('not ok'))).toThrow(ClosedFileError);
    const empty = new BufferOutputStream();
    empty.closeSync();
    expect(empty.getValue().size).toBe(0);
  });

  test('getValue right after an unawaited close returns the bytes', async () => {
    const f = new BufferOutputStream();
    f.writeSync(encode('abc'));
    const closing = f.close();
    expect(decode(f.getValue().view)).toBe('abc');
    await closing;
  });

  test('getValue while close waits for a pending write is an EBUSY error naming the stream, then the bytes', async () => {
    const f = new BufferOutputStream();
    const write = f.write(new Uint8Array(9 << 20)); // more than one piece: it yields
    const closing = f.close();
    expect(() => f.getValue()).toThrow(
      expect.objectContaining({ code: 'EBUSY', message: expect.stringMatching(/BufferOutputStream/) }) as Error,
    );
    await write;
    await closing;
    expect(f.getValue().size).toBe(9 << 20);
  });

  test('getValue gives back the capacity the bytes do not use', () => {
    const pool = proxyMemoryPool(systemMemoryPool());
    const f = new BufferOutputStream(pool);
    f.writeSync(new Uint8Array(1));
    const value = f.getValue();
    expect(value.size).toBe(1);
    expect(pool.bytesAllocated()).toBe(64);
  });

  test('is write-only and not seekable', () => {
    const f = new BufferOutputStream();
    expect([f.mode, f.readable(), f.writable(), f.seekable()]).toEqual(['wb', false, true, false]);
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    expect(() => f.seek(0)).toThrow(UnsupportedOperationError);
    // @ts-expect-error misuse the types forbid; the run-time check is what is tested
    expect(() => f.readSync()).toThrow(/not readable \(mode 'wb'\)/);
  });

  test('takes its memory from the given pool, which gets it back when the value is released', () => {
    const pool = proxyMemoryPool(systemMemoryPool());
    const f = new BufferOutputStream(pool);
    for (let i = 0; i < 100; i++) f.writeSync(new Uint8Array(1000));
    expect(pool.bytesAllocated()).toBeGreaterThanOrEqual(100_000);
    expect(pool.numAllocations()).toBeLessThan(10);
    const value = f.getValue();
    expect(value.size).toBe(100_000);
    value.release();
    expect(pool.bytesAllocated()).toBe(0);
    expect(() => new BufferOutputStream({} as never)).toThrow(TypeError);
  });
});
