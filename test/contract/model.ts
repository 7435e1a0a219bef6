/**
 * The reference model of the file contract: a plain array of bytes and a position. Every
 * backend must agree with it, step by step, for any content and any sequence of operations.
 */
import fc from 'fast-check';

/** One operation of a reader, as the property tests draw them. */
export type ReaderOp =
  | { kind: 'read'; n: number | undefined; sync: boolean }
  | { kind: 'readBuffer'; n: number | undefined; sync: boolean }
  | { kind: 'readAt'; offset: number; n: number; sync: boolean }
  | { kind: 'readRanges'; ranges: Array<{ offset: number; length: number }>; sync: boolean }
  | { kind: 'readInto'; size: number; sync: boolean }
  | { kind: 'read1'; n: number; sync: boolean }
  | { kind: 'readline'; limit: number | undefined; sync: boolean }
  | { kind: 'seek'; offset: number; whence: 0 | 1 | 2 };

/** What a reader can do, which decides the operations drawn and the model's answers. */
export interface ReaderTraits {
  readonly sync: boolean;
  readonly seekable: boolean;
  /** Whether a seek past the end is allowed (OS files) or a RangeError (buffers, maps). */
  readonly seekPastEnd: boolean;
  /** Whether `seek(n, 2)` works: it must not do I/O, so async files need a size known without it. */
  readonly seekFromEnd?: boolean;
}

const size = fc.integer({ min: 0, max: 300 });
const optionalSize = fc.option(size, { nil: undefined });

/** Random operations that `traits` allow. */
export function readerOps(traits: ReaderTraits): fc.Arbitrary<ReaderOp[]> {
  const sync = traits.sync ? fc.boolean() : fc.constant(false);
  const ops: Array<fc.Arbitrary<ReaderOp>> = [
    fc.record({ kind: fc.constant('read' as const), n: optionalSize, sync }),
    fc.record({ kind: fc.constant('readBuffer' as const), n: optionalSize, sync }),
    fc.record({ kind: fc.constant('readInto' as const), size, sync }),
    fc.record({ kind: fc.constant('read1' as const), n: fc.integer({ min: 1, max: 300 }), sync }),
    fc.record({ kind: fc.constant('readline' as const), limit: optionalSize, sync }),
  ];
  if (traits.seekable) {
    ops.push(
      fc.record({ kind: fc.constant('readAt' as const), offset: size, n: size, sync }),
      fc.record({
        kind: fc.constant('readRanges' as const),
        ranges: fc.array(fc.record({ offset: size, length: size }), { maxLength: 4 }),
        sync,
      }),
      fc.record({
        kind: fc.constant('seek' as const),
        offset: fc.integer({ min: -300, max: 300 }),
        whence: fc.constantFrom(0 as const, 1 as const, 2 as const),
      }),
    );
  }
  return fc.array(fc.oneof(...ops), { maxLength: 25, size: 'max' });
}

/** Bytes with a few newlines, so that line reading has lines to find. */
export const content = fc.uint8Array({ maxLength: 250, size: 'max' }).map((bytes) => bytes.map((b) => (b % 8 === 0 ? 0x0a : b)));

/**
 * What the model says `op` returns and where it leaves the position. `read1` may return
 * fewer bytes than it could (one backend read), so its result is a prefix check.
 */
export function modelStep(
  data: Uint8Array,
  position: number,
  op: ReaderOp,
  traits: ReaderTraits,
): { result: unknown; position: number } {
  const rest = (n?: number) => data.slice(position, n === undefined ? undefined : position + n);
  switch (op.kind) {
    case 'read':
    case 'readBuffer': {
      const out = rest(op.n);
      return { result: Array.from(out), position: position + out.length };
    }
    case 'readAt':
      return { result: Array.from(data.slice(op.offset, op.offset + op.n)), position };
    case 'readRanges':
      return { result: op.ranges.map((r) => Array.from(data.slice(r.offset, r.offset + r.length))), position };
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
      if (op.whence === 2 && traits.seekFromEnd === false) return { result: 'UnsupportedOperationError', position };
      const base = op.whence === 0 ? 0 : op.whence === 1 ? position : data.length;
      const target = base + op.offset;
      if (target < 0 || (!traits.seekPastEnd && target > data.length)) return { result: 'RangeError', position };
      return { result: target, position: target };
    }
  }
}
