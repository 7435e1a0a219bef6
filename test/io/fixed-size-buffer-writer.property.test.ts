/**
 * Model-based property test of the fixed-size writer, whose writes land in place. The
 * contract every backend shares (readers and writers) is in test/contract/.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allocateBuffer, FixedSizeBufferWriter } from '../../src/index.js';

type WriterOp = { kind: 'write'; bytes: Uint8Array; sync: boolean } | { kind: 'seek'; offset: number };
const writerOp: fc.Arbitrary<WriterOp> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), bytes: fc.uint8Array({ maxLength: 40 }), sync: fc.boolean() }),
  fc.record({ kind: fc.constant('seek' as const), offset: fc.integer({ min: 0, max: 120 }) }),
);

describe('FixedSizeBufferWriter agrees with the model', () => {
  test('writes that fit land in place; writes that do not fit change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 100 }),
        fc.array(writerOp, { maxLength: 30, size: 'max' }),
        async (length, ops) => {
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
        },
      ),
      { numRuns: 300 },
    );
  });
});
