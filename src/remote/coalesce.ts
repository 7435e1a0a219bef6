/**
 * Range coalescing as Arrow's `ReadRangeCache` does it (`internal::CoalesceReadRanges`): a
 * pure function, so it can be tested on its own. Reading a few more bytes is cheaper than
 * another round trip, so ranges separated by small holes become one request; but one
 * request should not grow without bound, so merging stops at a size limit.
 * @module
 */
import type { ByteRange } from '../io/core/underlying.js';
import { checkPositiveSize, checkSize } from '../util/validate.js';

/** How ranges are merged. */
export interface CoalesceOptions {
  /** The largest hole between two ranges that still merges them. Default 8 KiB (Arrow's). */
  holeSizeLimit?: number;
  /** Merged ranges stop growing at this size; a larger single range stays whole. Default 32 MiB. */
  rangeSizeLimit?: number;
}

/** A range to request, and which of the ranges asked for it serves. */
export interface CoalescedRange extends ByteRange {
  /** Indices, in the input array, of the ranges inside this one, in offset order. */
  readonly members: readonly number[];
}

/** Arrow's default hole size limit. */
export const DEFAULT_HOLE_SIZE_LIMIT = 8 * 1024;
/** Arrow's default range size limit. */
export const DEFAULT_RANGE_SIZE_LIMIT = 32 * 1024 * 1024;

/** The options with defaults filled in, checked. */
export function coalesceLimits(options: CoalesceOptions = {}): Required<CoalesceOptions> {
  return {
    holeSizeLimit: checkSize(options.holeSizeLimit ?? DEFAULT_HOLE_SIZE_LIMIT, 'holeSizeLimit'),
    rangeSizeLimit: checkPositiveSize(options.rangeSizeLimit ?? DEFAULT_RANGE_SIZE_LIMIT, 'rangeSizeLimit'),
  };
}

/**
 * Merges `ranges` into few requests, sorted by offset and disjoint. Every non-empty input
 * range lies inside exactly one result (the one listing its index); empty ranges are in
 * none (they need no bytes). Two neighbours merge when the hole between them is at most
 * `holeSizeLimit` and the merged range stays within `rangeSizeLimit`; overlapping ranges
 * always merge, since their bytes cannot be asked for twice without waste.
 */
export function coalesceRanges(ranges: readonly ByteRange[], options: CoalesceOptions = {}): CoalescedRange[] {
  const { holeSizeLimit, rangeSizeLimit } = coalesceLimits(options);
  const order = ranges
    .map((range, index) => ({ ...range, index }))
    .filter((range) => range.length > 0)
    .sort((a, b) => a.offset - b.offset || a.length - b.length);
  const merged: CoalescedRange[] = [];
  let start = 0;
  let end = 0;
  let members: number[] = [];
  for (const range of order) {
    const rangeEnd = range.offset + range.length;
    const overlaps = members.length > 0 && range.offset < end;
    const fits = range.offset - end <= holeSizeLimit && Math.max(end, rangeEnd) - start <= rangeSizeLimit;
    if (members.length > 0 && (overlaps || fits)) {
      end = Math.max(end, rangeEnd);
      members.push(range.index);
      continue;
    }
    if (members.length > 0) merged.push({ offset: start, length: end - start, members });
    start = range.offset;
    end = rangeEnd;
    members = [range.index];
  }
  if (members.length > 0) merged.push({ offset: start, length: end - start, members });
  return merged;
}
