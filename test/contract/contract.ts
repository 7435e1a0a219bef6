/**
 * The file contract, written once and run against every backend (backends.test.ts): PyArrow
 * `test_io.py` semantics for readers and writers, and a model-based property test.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ClosedFileError, NativeFile } from '../../src/index.js';
import { content, modelStep, readerOps, type ReaderOp, type ReaderTraits } from './model.js';

/** A file opened over some content, and how to dispose of what the opener made. */
export interface Opened {
  readonly file: NativeFile;
  cleanup?(): void | Promise<void>;
}

/** A writer, and how to get back what reached its destination after it closed. */
export interface OpenedWriter extends Opened {
  written(): Uint8Array | Promise<Uint8Array>;
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

async function step(f: NativeFile, op: ReaderOp): Promise<unknown> {
  switch (op.kind) {
    case 'read':
      return Array.from(op.sync ? f.readSync(op.n) : await f.read(op.n));
    case 'readBuffer':
      return Array.from((op.sync ? f.readBufferSync(op.n) : await f.readBuffer(op.n)).view);
    case 'readAt':
      return Array.from(op.sync ? f.readAtSync(op.offset, op.n) : await f.readAt(op.offset, op.n));
    case 'readRanges':
      return (op.sync ? f.readRangesSync(op.ranges) : await f.readRanges(op.ranges)).map((r) => Array.from(r));
    case 'readInto': {
      const into = new Uint8Array(op.size);
      const got = op.sync ? f.readIntoSync(into) : await f.readInto(into);
      return Array.from(into.subarray(0, got));
    }
    case 'read1':
      return Array.from(op.sync ? f.read1Sync(op.n) : await f.read1(op.n));
    case 'readline':
      return Array.from(op.sync ? f.readlineSync(op.limit) : await f.readline(op.limit));
    case 'seek':
      try {
        return f.seek(op.offset, op.whence);
      } catch (error) {
        return (error as Error).name;
      }
  }
}

/** Registers the reader contract for a backend. */
export function readerContract(
  name: string,
  traits: ReaderTraits,
  open: (data: Uint8Array) => Opened | Promise<Opened>,
  runs = 60,
): void {
  const withFile = async (data: Uint8Array, body: (file: NativeFile) => Promise<void>) => {
    const opened = await open(data);
    try {
      await body(opened.file);
    } finally {
      if (!opened.file.closed) await opened.file.close();
      await opened.cleanup?.();
    }
  };

  describe(`${name}: the reader contract`, () => {
    test('says what it can do', () =>
      withFile(bytesOf('abc'), async (f) => {
        expect([f.readable(), f.writable(), f.seekable(), f.isSync]).toEqual([true, false, traits.seekable, traits.sync]);
      }));

    test('reads everything, then nothing; lines and chunks add up to the content', async () => {
      const text = 'first line\nsecond\n\nlast without newline';
      await withFile(bytesOf(text), async (f) => {
        expect(new TextDecoder().decode(await f.read(5))).toBe('first');
        expect(f.tell()).toBe(5);
        expect(new TextDecoder().decode(await f.read())).toBe(text.slice(5));
        expect((await f.read()).byteLength).toBe(0);
        expect((await f.readBuffer()).size).toBe(0);
      });
      await withFile(bytesOf(text), async (f) => {
        const lines: string[] = [];
        for await (const line of f.lines()) lines.push(new TextDecoder().decode(line));
        expect(lines).toEqual(['first line\n', 'second\n', '\n', 'last without newline']);
      });
      await withFile(bytesOf(text), async (f) => {
        let joined = '';
        for await (const chunk of f) joined += new TextDecoder().decode(chunk);
        expect(joined).toBe(text);
      });
    });

    test('overlapping reads read consecutive bytes, as if queued in call order', () =>
      withFile(bytesOf('0123456789abcdef'), async (f) => {
        const parts = await Promise.all([f.read(4), f.read(4), f.readBuffer(4), f.read(4)]);
        expect(parts.map((part) => new TextDecoder().decode(part instanceof Uint8Array ? part : part.view))).toEqual([
          '0123',
          '4567',
          '89ab',
          'cdef',
        ]);
      }));

    test('after close, every method but close throws ClosedFileError', () =>
      withFile(bytesOf('abc'), async (f) => {
        await f.close();
        await f.close();
        expect(f.closed).toBe(true);
        await expect(f.read()).rejects.toThrow(ClosedFileError);
        expect(() => f.readable()).toThrow(ClosedFileError);
        expect(() => f.tell()).toThrow(ClosedFileError);
      }));

    test('agrees with the model for any content and any sequence of operations', async () => {
      await fc.assert(
        fc.asyncProperty(content, readerOps(traits), async (data, ops) => {
          await withFile(data, async (f) => {
            let position = 0;
            for (const op of ops) {
              const expected = modelStep(data, position, op, traits);
              const actual = await step(f, op);
              if (op.kind === 'read1') {
                // At most one backend read: a non-empty prefix of what remains (empty only at the end).
                const got = actual as number[];
                const all = expected.result as number[];
                expect(got).toEqual(all.slice(0, got.length));
                expect(got.length > 0 || all.length === 0).toBe(true);
                position += got.length;
              } else {
                expect(actual).toEqual(expected.result);
                position = expected.position;
              }
              expect(f.tell()).toBe(position);
            }
          });
        }),
        { numRuns: runs },
      );
    });
  });
}

/** Registers the writer contract for a backend. */
export function writerContract(name: string, sync: boolean, open: () => OpenedWriter | Promise<OpenedWriter>, runs = 40): void {
  describe(`${name}: the writer contract`, () => {
    test('what reaches the destination is the concatenation of the writes, whatever their sizes', async () => {
      const chunk = fc.uint8Array({ maxLength: 3000, size: 'max' });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(chunk, sync ? fc.boolean() : fc.constant(false)), { maxLength: 20 }),
          async (writes) => {
            const opened = await open();
            const f = opened.file;
            try {
              expect([f.readable(), f.writable()]).toEqual([false, true]);
              const model: number[] = [];
              for (const [bytes, useSync] of writes) {
                expect(useSync ? f.writeSync(bytes) : await f.write(bytes)).toBe(bytes.length);
                model.push(...bytes);
                expect(f.tell()).toBe(model.length);
              }
              await f.flush();
              await f.close();
              await expect(f.write(new Uint8Array(1))).rejects.toThrow(ClosedFileError);
              expect(Array.from(await opened.written())).toEqual(model);
            } finally {
              await opened.cleanup?.();
            }
          },
        ),
        { numRuns: runs },
      );
    });

    test('overlapping writes land in call order', async () => {
      const opened = await open();
      try {
        const parts = ['AAAA', 'BBBB', 'CCCC'].map(bytesOf);
        await Promise.all(parts.map((part) => opened.file.write(part)));
        await opened.file.close();
        expect(new TextDecoder().decode(await opened.written())).toBe('AAAABBBBCCCC');
      } finally {
        await opened.cleanup?.();
      }
    });
  });
}
