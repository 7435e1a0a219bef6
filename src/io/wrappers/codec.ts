import { describe } from '../../util/validate.js';

/** The compression formats of the platform's `CompressionStream`. */
export type Codec = 'gzip' | 'deflate' | 'deflate-raw';

const CODECS: readonly Codec[] = ['gzip', 'deflate', 'deflate-raw'];

/** Checks a codec name: `TypeError` if not a string, `RangeError` if unknown. */
export function checkCodec(codec: unknown): Codec {
  if (typeof codec !== 'string') {
    throw new TypeError(`compression must be one of ${CODECS.join(', ')}, got ${describe(codec)}`);
  }
  if (!CODECS.includes(codec as Codec)) {
    throw new RangeError(`unknown compression ${describe(codec)}; use one of ${CODECS.join(', ')}`);
  }
  return codec as Codec;
}

/** The codec a file name implies by its extension, or `undefined`. */
export function codecFromPath(path: string): Codec | undefined {
  if (/\.gz$/i.test(path)) return 'gzip';
  if (/\.deflate$/i.test(path)) return 'deflate';
  return undefined;
}
