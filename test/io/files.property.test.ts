/**
 * Model-based property tests: random sequences of operations on each in-memory file must
 * agree, step by step, with a plain reference model (an array of bytes and a position).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allocateBuffer, BufferOutputStream, BufferReader, FixedSizeBufferWriter, MockOutputStream } from '../../src/index.js';

type ReaderOp =
  | { kind: 'read'; n: number | undefined; sync: boolean }
  | { kind: 'readBuffer'; n: number | undefined; sync: boolean }
  | { kind: 'readAt'; offset: number; n: number; sync: boolean }
  | { kind: 'readInto'; size: number; sync: boolean }
  | { kind: 'read1'; n: number }
  | { kind: 'readline'; limit: number | undefined; sync: boolean }
  | { kind: 'seek'; offset: number; whence: 0 | 1 | 2 };

const size = fc.integer({ min: 0, max: 300 });
const optionalSize = fc.option(size, { nil: undefined });
const readerOp: fc.Arbitrary<ReaderOp> = fc.oneof(
  fc.record({ kind: fc.constant('read' as const), n: optionalSize, sync: fc.boolean() }),
  fc.record({ kind: fc.constant('readBuffer' as const), n: optionalSize, sync: fc.boolean() }),
  fc.record({ kind: fc.constant('readAt' as const), offset: size, n: size, sync: fc.boolean() }),
  fc.record({ kind: fc.constant('readInto' as const), size, sync: fc.boolean() }),
  fc.record({ kind: fc.constant('read1' as const), n: size }),
  fc.record({ kind: fc.constant('readline' as const), limit: optionalSize, sync: fc.boolean() }),
  fc.record({
    kind: fc.constant('seek' as const),
    offset: fc.integer({ min: -300, max: 300 }),
    whence: fc.constantFrom(0 as const, 1 as const, 2 as const),
  }),
);

/** Bytes with a few newlines so that readline has lines to find. */
const content = fc.uint8Array({ maxLength: 250, size: 'max' }).map((bytes) => bytes.map((b) => (b % 8 === 0 ? 0x0a : b)));

/** What the reference model says an operation returns, and where it leaves the position. */
function modelStep(data: Uint8Array, position: number, op: ReaderOp): { result: unknown; position: number } {
  const rest = (n?: number) => data.slice(position, n === undefined ? undefined : position + n);
  switch (op.kind) {
    case 'read':
    case 'readBuffer': {
      const out = rest(op.n);
      return { result: Array.from(out), position: position + out.length };
    }
    case 'readAt':
      return { result: Array.from(data.slice(op.offset, op.offset + op.n)), position };
    case 'readInto': {
      const out = rest(op.size);
      return { result: Array.from(out), position: position + out.length };
    }
    case 'read1': {
      const out = rest(op.n);
      return { result: Array.from(out), position: position + out.length };
    }
    case 'readline': {
      let out = rest(op.limit);
      const newline = out.indexOf(0x0a);
      if (newline !== -1) out = out.slice(0, newline + 1);
      return { result: Array.from(out), position: position + out.length };
    }
    case 'seek': {
      const base = op.whence === 0 ? 0 : op.whence === 1 ? position : data.length;
      const target = base + op.offset;
      if (target < 0 || target > data.length) return { result: 'RangeError', position };
      return { result: target, position: target };
    }
  }
}

async function realStep(f: BufferReader, op: ReaderOp): Promise<unknown> {
  switch (op.kind) {
    case 'read':
      return Array.from(op.sync ? f.readSync(op.n) : await f.read(op.n));
    case 'readBuffer':
      return Array.from((op.sync ? f.readBufferSync(op.n) : await f.readBuffer(op.n)).view);
    case 'readAt':
      return Array.from(op.sync ? f.readAtSync(op.offset, op.n) : await f.readAt(op.offset, op.n));
    case 'readInto': {
      const into = new Uint8Array(op.size);
      const got = op.sync ? f.readIntoSync(into) : await f.readInto(into);
      return Array.from(into.subarray(0, got));
    }
    case 'read1':
      return Array.from(f.read1Sync(op.n));
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

describe('BufferReader agrees with the model', () => {
  test('for any content and any sequence of reads and seeks', async () => {
    await fc.assert(
      fc.asyncProperty(content, fc.array(readerOp, { maxLength: 30, size: 'max' }), async (data, ops) => {
        const f = new BufferReader(data.slice());
        let position = 0;
        for (const op of ops) {
          const expected = modelStep(data, position, op);
          expect(await realStep(f, op)).toEqual(expected.result);
          position = expected.position;
          expect(f.tell()).toBe(position);
        }
      }),
      { numRuns: 300 },
    );
  });
});

type WriterOp = { kind: 'write'; bytes: Uint8Array; sync: boolean } | { kind: 'seek'; offset: number };
const writerOp: fc.Arbitrary<WriterOp> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), bytes: fc.uint8Array({ maxLength: 40 }), sync: fc.boolean() }),
  fc.record({ kind: fc.constant('seek' as const), offset: fc.integer({ min: 0, max: 120 }) }),
);

describe('FixedSizeBufferWriter agrees with the model', () => {
  test('writes that fit land in place; writes that do not fit change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 100 }), fc.array(writerOp, { maxLength: 30, size: 'max' }), async (length, ops) => {
        const buffer = allocateBuffer(length);
        const f = new FixedSizeBufferWriter(buffer);
        // Pool memory is not zeroed (as in Arrow): the model starts from what is there.
        const model = buffer.toBytes();
        let position = 0;
        for (const op of ops) {
          if (op.kind === 'seek') {
            if (op.offset > length) {
              expect(() => f.seek(op.offset)).toThrow(RangeError);
            } else {
              position = f.seek(op.offset);
            }
          } else if (position + op.bytes.length > length) {
            if (op.sync) expect(() => f.writeSync(op.bytes)).toThrow(/does not fit/);
            else await expect(f.write(op.bytes)).rejects.toThrow(/does not fit/);
          } else {
            expect(op.sync ? f.writeSync(op.bytes) : await f.write(op.bytes)).toBe(op.bytes.length);
            model.set(op.bytes, position);
            position += op.bytes.length;
          }
          expect(f.tell()).toBe(position);
          expect(Array.from(buffer.view)).toEqual(Array.from(model));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('BufferOutputStream and MockOutputStream agree with the model', () => {
  test('the value is the concatenation of the writes, whatever their sizes', async () => {
    const chunk = fc.uint8Array({ maxLength: 3000, size: 'max' });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(chunk, fc.boolean()), { maxLength: 40 }), async (writes) => {
        const f = new BufferOutputStream();
        const mock = new MockOutputStream();
        const model: number[] = [];
        for (const [bytes, sync] of writes) {
          if (sync) f.writeSync(bytes);
          else await f.write(bytes);
          mock.writeSync(bytes);
          model.push(...bytes);
          expect(f.tell()).toBe(model.length);
        }
        expect(mock.sizeSync()).toBe(model.length);
        expect(Array.from(f.getValue().view)).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });
});
