import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coalesceRanges } from '../../src/remote/coalesce.js';

const hole = 8;
const limit = 100;
const options = { holeSizeLimit: hole, rangeSizeLimit: limit };

describe('coalesceRanges', () => {
  it('merges ranges separated by holes up to holeSizeLimit', () => {
    expect(
      coalesceRanges(
        [
          { offset: 0, length: 10 },
          { offset: 18, length: 2 },
        ],
        options,
      ),
    ).toEqual([{ offset: 0, length: 20, members: [0, 1] }]);
  });

  it('keeps ranges apart when the hole is one byte too large', () => {
    expect(
      coalesceRanges(
        [
          { offset: 0, length: 10 },
          { offset: 19, length: 2 },
        ],
        options,
      ),
    ).toHaveLength(2);
  });

  it('stops a merged range at rangeSizeLimit but never splits one large range', () => {
    const merged = coalesceRanges(
      [
        { offset: 0, length: 60 },
        { offset: 60, length: 60 },
        { offset: 120, length: 500 },
      ],
      options,
    );
    expect(merged.map((m) => [m.offset, m.length])).toEqual([
      [0, 60],
      [60, 60],
      [120, 500],
    ]);
  });

  it('sorts by offset and reports input indices', () => {
    expect(
      coalesceRanges(
        [
          { offset: 50, length: 5 },
          { offset: 0, length: 5 },
        ],
        options,
      ),
    ).toEqual([
      { offset: 0, length: 5, members: [1] },
      { offset: 50, length: 5, members: [0] },
    ]);
  });

  it('merges overlapping ranges and skips empty ones', () => {
    expect(
      coalesceRanges(
        [
          { offset: 0, length: 30 },
          { offset: 10, length: 5 },
          { offset: 5, length: 0 },
        ],
        options,
      ),
    ).toEqual([{ offset: 0, length: 30, members: [0, 1] }]);
  });

  it('rejects a zero rangeSizeLimit, naming it', () => {
    expect(() => coalesceRanges([], { rangeSizeLimit: 0 })).toThrow(/rangeSizeLimit/);
  });

  const rangesArb = fc.array(fc.record({ offset: fc.nat(2000), length: fc.nat(150) }), { maxLength: 40 });
  const limitsArb = fc.record({ holeSizeLimit: fc.nat(50), rangeSizeLimit: fc.integer({ min: 1, max: 400 }) });

  it('property: each non-empty range lies inside exactly the merged range that lists it', () => {
    fc.assert(
      fc.property(rangesArb, limitsArb, (ranges, limits) => {
        const merged = coalesceRanges(ranges, limits);
        const seen = merged.flatMap((m) => m.members);
        const nonEmpty = ranges.flatMap((r, i) => (r.length > 0 ? [i] : []));
        expect([...seen].sort((a, b) => a - b)).toEqual(nonEmpty);
        for (const m of merged) {
          for (const i of m.members) {
            const r = ranges[i]!;
            expect(r.offset).toBeGreaterThanOrEqual(m.offset);
            expect(r.offset + r.length).toBeLessThanOrEqual(m.offset + m.length);
          }
        }
      }),
    );
  });

  it('property: merged ranges are sorted, disjoint, tight and no larger than needed', () => {
    fc.assert(
      fc.property(rangesArb, limitsArb, (ranges, limits) => {
        const merged = coalesceRanges(ranges, limits);
        for (let i = 1; i < merged.length; i++) {
          expect(merged[i]!.offset).toBeGreaterThanOrEqual(merged[i - 1]!.offset + merged[i - 1]!.length);
        }
        for (const m of merged) {
          const members = m.members.map((i) => ranges[i]!);
          // Tight: starts at its first member and ends at its last byte asked.
          expect(Math.min(...members.map((r) => r.offset))).toBe(m.offset);
          expect(Math.max(...members.map((r) => r.offset + r.length))).toBe(m.offset + m.length);
          // Within the size limit, unless a single member (or overlapping ones) is larger.
          const overlapping = members.some((a, i) =>
            members.some((b, j) => i !== j && a.offset < b.offset + b.length && b.offset < a.offset + a.length),
          );
          if (!overlapping && members.length > 1) expect(m.length).toBeLessThanOrEqual(limits.rangeSizeLimit);
        }
      }),
    );
  });

  it('property: neighbours that stayed apart had a large hole or would have outgrown the limit', () => {
    fc.assert(
      fc.property(rangesArb, limitsArb, (ranges, limits) => {
        const merged = coalesceRanges(ranges, limits);
        for (let i = 1; i < merged.length; i++) {
          const a = merged[i - 1]!;
          const b = merged[i]!;
          const gap = b.offset - (a.offset + a.length);
          // The member of b considered first: smallest offset, then shortest.
          const first = b.members.map((k) => ranges[k]!).sort((x, y) => x.offset - y.offset || x.length - y.length)[0]!;
          const grown = Math.max(first.offset + first.length, a.offset + a.length) - a.offset;
          expect(gap > limits.holeSizeLimit || grown > limits.rangeSizeLimit).toBe(true);
        }
      }),
    );
  });

  it('property: bytes asked exceed bytes wanted by at most the holes merged', () => {
    fc.assert(
      fc.property(rangesArb, limitsArb, (ranges, limits) => {
        const merged = coalesceRanges(ranges, limits);
        const asked = merged.reduce((sum, m) => sum + m.length, 0);
        const wanted = ranges.reduce((sum, r) => sum + r.length, 0);
        const holes = merged.reduce((sum, m) => sum + (m.members.length - 1) * limits.holeSizeLimit, 0);
        expect(asked).toBeLessThanOrEqual(wanted + holes);
      }),
    );
  });
});
