import { describe } from './validate.js';

/** How a file is open: read-only, write (truncating), append, or read and write in place. */
export type FileMode = 'rb' | 'wb' | 'ab' | 'rb+';

/** The spellings accepted where a mode is passed in; `'r'` is `'rb'`, `'r+'` is `'rb+'` and so on. */
export type FileModeInput = FileMode | 'r' | 'w' | 'a' | 'r+' | 'r+b';

const MODES: Record<string, FileMode> = {
  r: 'rb',
  rb: 'rb',
  w: 'wb',
  wb: 'wb',
  a: 'ab',
  ab: 'ab',
  'r+': 'rb+',
  'r+b': 'rb+',
  'rb+': 'rb+',
};

/**
 * The canonical {@link FileMode} for `mode`.
 * @param allowed the modes the caller supports; others are a `RangeError`.
 */
export function parseFileMode(mode: unknown, allowed: readonly FileMode[]): FileMode {
  if (typeof mode !== 'string') {
    throw new TypeError(`mode must be a string such as 'rb', got ${describe(mode)}`);
  }
  const canonical = MODES[mode];
  if (canonical === undefined || !allowed.includes(canonical)) {
    throw new RangeError(`mode must be one of ${allowed.map((m) => `'${m}'`).join(', ')}, got ${describe(mode)}`);
  }
  return canonical;
}
