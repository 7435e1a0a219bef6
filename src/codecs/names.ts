import { describe } from '../util/validate.js';

/** The names of the codecs (PyArrow's, plus the platform's `deflate` and `deflate-raw`). */
export type CodecName = 'gzip' | 'deflate' | 'deflate-raw' | 'bz2' | 'brotli' | 'lz4' | 'zstd' | 'snappy' | 'lz4_raw';

/** What a codec allows: its levels (`undefined` for none) and whether it has a streaming form. */
export interface CodecFacts {
  readonly levels?: { readonly min: number; readonly max: number; readonly default: number };
  readonly stream: boolean;
  /** The file name extension it is detected by. */
  readonly extension?: string;
}

/**
 * Levels as Arrow's C++ codecs have them; the default of gzip, deflate and deflate-raw is
 * zlib's own (6, as the gzip tool and every `CompressionStream` use; Arrow's is 9).
 */
export const CODECS: { readonly [name in CodecName]: CodecFacts } = {
  gzip: { levels: { min: 1, max: 9, default: 6 }, stream: true, extension: 'gz' },
  deflate: { levels: { min: 1, max: 9, default: 6 }, stream: true, extension: 'deflate' },
  'deflate-raw': { levels: { min: 1, max: 9, default: 6 }, stream: true },
  bz2: { levels: { min: 1, max: 9, default: 9 }, stream: true, extension: 'bz2' },
  brotli: { levels: { min: 0, max: 11, default: 8 }, stream: true, extension: 'br' },
  lz4: { levels: { min: 1, max: 12, default: 1 }, stream: true, extension: 'lz4' },
  zstd: { levels: { min: -131072, max: 22, default: 1 }, stream: true, extension: 'zst' },
  snappy: { stream: false },
  lz4_raw: { levels: { min: 1, max: 12, default: 1 }, stream: false },
};

const NAMES = Object.keys(CODECS) as CodecName[];

/** Checks a codec name: `TypeError` if not a string, `RangeError` listing the names if unknown. */
export function checkCodecName(name: unknown, what = 'codec'): CodecName {
  if (typeof name !== 'string') throw new TypeError(`${what} must be one of ${NAMES.join(', ')}, got ${describe(name)}`);
  const known = name === 'lz4_frame' ? 'lz4' : name;
  if (!Object.hasOwn(CODECS, known)) throw new RangeError(`unknown ${what} ${describe(name)}; use one of ${NAMES.join(', ')}`);
  return known as CodecName;
}

/** The levels of a codec that has them; `RangeError` for one that has none. */
export function levelsOf(name: CodecName): NonNullable<CodecFacts['levels']> {
  const levels = CODECS[name].levels;
  if (levels === undefined) throw new RangeError(`the ${name} codec has no compression levels`);
  return levels;
}

/** Checks a compression level for `name`: its default when `undefined`, else an integer in range. */
export function checkLevel(name: CodecName, level: unknown): number | undefined {
  const levels = CODECS[name].levels;
  if (level === undefined || level === null) return levels?.default;
  if (levels === undefined) throw new RangeError(`the ${name} codec takes no compression level, got ${describe(level)}`);
  if (typeof level !== 'number') throw new TypeError(`compression level must be a number, got ${describe(level)}`);
  if (!Number.isInteger(level) || level < levels.min || level > levels.max) {
    throw new RangeError(`${name} compression level must be an integer from ${levels.min} to ${levels.max}, got ${level}`);
  }
  return level;
}

/** The stream codec a file name implies by its extension, or `null`. */
export function codecFromPath(path: string): CodecName | null {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (extension === undefined) return null;
  return NAMES.find((name) => CODECS[name].extension === extension) ?? null;
}
