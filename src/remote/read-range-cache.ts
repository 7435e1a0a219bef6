/**
 * Arrow's `ReadRangeCache` for one remote file: `willNeed` starts coalesced requests for
 * ranges that will be read, and later reads inside them wait for those requests instead of
 * sending their own; `readRanges` coalesces what it is asked and reads it concurrently.
 * Results are views into the fetched ranges, except where two results would overlap: the
 * later one is a copy, so that writing into one result never changes another.
 * @module
 */
import type { ByteRange } from '../io/core/underlying.js';
import { coalesceRanges, type CoalesceOptions } from './coalesce.js';

/** Fetches `length` bytes at `offset` (already clamped to the file). */
export type RangeFetcher = (offset: number, length: number) => Promise<Uint8Array>;

interface Entry {
  readonly offset: number;
  readonly length: number;
  readonly data: Promise<Uint8Array>;
  /** The hinted ranges not read yet: once all are, the entry's memory is given back. */
  readonly hinted: Set<string>;
  /** The ranges handed out as views of `data`. */
  readonly given: ByteRange[];
}

/**
 * `range` of `bytes` (which hold the file from `base`): a view where no range in `given`
 * overlaps it, else a copy, so that results stay independent bytes.
 */
function independent(bytes: Uint8Array, base: number, range: ByteRange, given: ByteRange[]): Uint8Array {
  const start = range.offset - base;
  const end = start + range.length;
  const overlaps = given.some((g) => g.offset < range.offset + range.length && range.offset < g.offset + g.length);
  if (overlaps) return bytes.slice(start, end);
  given.push(range);
  return bytes.subarray(start, end);
}

const key = (range: ByteRange): string => `${range.offset}:${range.length}`;

/** Cached, coalesced reads of one file. */
export class ReadRangeCache {
  readonly #fetch: RangeFetcher;
  readonly #limits: Required<CoalesceOptions>;
  #entries: Entry[] = [];

  /**
   * @param fetch reads one merged range (through the file's request limiter).
   * @param limits how ranges merge.
   */
  constructor(fetch: RangeFetcher, limits: Required<CoalesceOptions>) {
    this.#fetch = fetch;
    this.#limits = limits;
  }

  /** Starts fetching the ranges not cached yet, coalesced. Failures surface at the read. */
  willNeed(ranges: readonly ByteRange[]): void {
    const missing = ranges.filter((range) => range.length > 0 && this.#covering(range) === undefined);
    for (const merged of coalesceRanges(missing, this.#limits)) {
      const entry: Entry = {
        offset: merged.offset,
        length: merged.length,
        data: this.#fetch(merged.offset, merged.length),
        hinted: new Set(merged.members.map((i) => key(missing[i]!))),
        given: [],
      };
      // A prefetch that fails is forgotten (a later read asks again); nobody may be waiting for it.
      entry.data.catch(() => this.#drop(entry));
      this.#entries.push(entry);
    }
  }

  /** The cached bytes of `range` if an entry holds all of it, else `undefined`. */
  cached(range: ByteRange): Promise<Uint8Array> | undefined {
    const entry = this.#covering(range);
    if (entry === undefined) return undefined;
    return this.#slice(entry, range);
  }

  /** Each range's bytes, in order: from the cache where it holds them, else coalesced requests. */
  async readRanges(ranges: readonly ByteRange[]): Promise<Uint8Array[]> {
    const results: Array<Promise<Uint8Array>> = new Array<Promise<Uint8Array>>(ranges.length);
    const missing: number[] = [];
    ranges.forEach((range, i) => {
      if (range.length === 0) results[i] = Promise.resolve(new Uint8Array(0));
      else results[i] = this.cached(range) ?? (missing.push(i), Promise.resolve(new Uint8Array(0)));
    });
    const wanted = missing.map((i) => ranges[i]!);
    for (const merged of coalesceRanges(wanted, this.#limits)) {
      const data = this.#fetch(merged.offset, merged.length);
      const given: ByteRange[] = [];
      for (const member of merged.members) {
        const range = wanted[member]!;
        results[missing[member]!] = data.then((bytes) => independent(bytes, merged.offset, range, given));
      }
    }
    return Promise.all(results);
  }

  /** Forgets every entry (the file is closing). */
  clear(): void {
    this.#entries = [];
  }

  #covering(range: ByteRange): Entry | undefined {
    return this.#entries.find((e) => e.offset <= range.offset && range.offset + range.length <= e.offset + e.length);
  }

  async #slice(entry: Entry, range: ByteRange): Promise<Uint8Array> {
    if (entry.hinted.delete(key(range)) && entry.hinted.size === 0) this.#drop(entry);
    return independent(await entry.data, entry.offset, range, entry.given);
  }

  #drop(entry: Entry): void {
    this.#entries = this.#entries.filter((e) => e !== entry);
  }
}
