import { describe, expect, test } from 'vitest';
import { Buffer, BufferOutputStream, BufferReader, JsFile, toWritableStream } from '../../src/index.js';
import { encode } from '../helpers.js';

{
  describe('toWritableStream', () => {
    test('writes every chunk, of any byte type, and closes the file on close', async () => {
      const out = new BufferOutputStream();
      const writer = toWritableStream(out).getWriter();
      await writer.write(encode('ab'));
      await writer.write(Buffer.wrap(encode('cd')));
      await writer.write(new Uint16Array([0x6665]));
      await writer.close();
      expect(out.closed).toBe(true);
      expect(new TextDecoder().decode(out.getValue().view)).toBe('abcdef');
    });

    test('applies backpressure past highWaterMark while the file is slow', async () => {
      const written: number[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow = new JsFile({
        async write(bytes: Uint8Array) {
          await gate;
          written.push(bytes.byteLength);
        },
      });
      const writer = toWritableStream(slow, { highWaterMark: 1000 }).getWriter();
      void writer.write(new Uint8Array(600));
      void writer.write(new Uint8Array(600));
      expect(writer.desiredSize).toBeLessThan(0);
      release();
      await writer.ready;
      await writer.close();
      expect(written).toEqual([600, 600]);
    });

    test('a chunk that is not bytes errors the stream with a TypeError', async () => {
      const out = new BufferOutputStream();
      const writer = toWritableStream(out).getWriter();
      await expect(writer.write('text' as never)).rejects.toThrow(TypeError);
    });

    test('a chunk that is not bytes aborts the file', async () => {
      const out = new BufferOutputStream();
      const writer = toWritableStream(out).getWriter();
      await writer.write(encode('kept'));
      await expect(writer.write(42 as never)).rejects.toThrow(/got 42/);
      expect(out.closed).toBe(true);
    });

    test('abort closes the file and keeps what was written', async () => {
      const out = new BufferOutputStream();
      const writer = toWritableStream(out).getWriter();
      await writer.write(encode('kept'));
      await writer.abort(new Error('user left'));
      expect(out.closed).toBe(true);
      expect(new TextDecoder().decode(out.getValue().view)).toBe('kept');
    });

    test('rejects files that cannot be written', () => {
      // @ts-expect-error misuse the types forbid; the run-time check is what is tested
      expect(() => toWritableStream(new BufferReader(encode('x')))).toThrow(/writable/);
      expect(() => toWritableStream(null as never)).toThrow(TypeError);
    });
  });
}
