import { describe } from '../../util/validate.js';

/** Turns text into bytes; throws a `RangeError` naming the character it cannot encode. */
export type TextToBytes = (text: string) => Uint8Array;
/** Turns bytes into text, keeping an incomplete last character for the next call; throws on bad input. */
export type BytesToText = (bytes: Uint8Array, end: boolean) => string;

/** An encoding's canonical name: lower case, `_` as `-`, `utf8` as `utf-8`, `latin1` as `latin-1`. */
export function normalizeEncoding(name: unknown, what: string): string {
  if (typeof name !== 'string') throw new TypeError(`${what} must be an encoding name, got ${describe(name)}`);
  const lower = name.toLowerCase().replace(/_/g, '-');
  const aliases: Record<string, string> = {
    utf8: 'utf-8',
    utf16: 'utf-16',
    utf32: 'utf-32',
    'utf16-le': 'utf-16-le',
    'utf16-be': 'utf-16-be',
    'utf-16le': 'utf-16-le',
    'utf-16be': 'utf-16-be',
    'utf-32le': 'utf-32-le',
    'utf-32be': 'utf-32-be',
    latin1: 'latin-1',
    'iso-8859-1': 'latin-1',
    'us-ascii': 'ascii',
  };
  return aliases[lower] ?? lower;
}

/** An encoder for `encoding` (UTF-8, UTF-16 and UTF-32 with or without byte order, latin-1, ascii). */
export function encoderFor(encoding: string): TextToBytes {
  switch (encoding) {
    case 'utf-8': {
      const encoder = new TextEncoder();
      return (text) => encoder.encode(text);
    }
    case 'utf-16':
    case 'utf-16-le':
    case 'utf-16-be': {
      let bom = encoding === 'utf-16';
      const little = encoding !== 'utf-16-be';
      return (text) => {
        const out = new DataView(new ArrayBuffer((text.length + (bom ? 1 : 0)) * 2));
        let at = 0;
        if (bom) out.setUint16((at += 2) - 2, 0xfeff, little);
        bom = false;
        for (let i = 0; i < text.length; i++, at += 2) out.setUint16(at, text.charCodeAt(i), little);
        return new Uint8Array(out.buffer);
      };
    }
    case 'utf-32':
    case 'utf-32-le':
    case 'utf-32-be': {
      let bom = encoding === 'utf-32';
      const little = encoding !== 'utf-32-be';
      return (text) => {
        const points: number[] = [];
        for (const char of text) points.push(char.codePointAt(0)!);
        if (bom) points.unshift(0xfeff);
        bom = false;
        const out = new DataView(new ArrayBuffer(points.length * 4));
        points.forEach((point, i) => out.setUint32(i * 4, point, little));
        return new Uint8Array(out.buffer);
      };
    }
    case 'latin-1':
    case 'ascii': {
      const max = encoding === 'ascii' ? 0x7f : 0xff;
      return (text) => {
        const out = new Uint8Array(text.length);
        for (let i = 0; i < text.length; i++) {
          const code = text.charCodeAt(i);
          if (code > max) {
            throw new RangeError(
              `'${encoding}' cannot encode U+${code.toString(16).toUpperCase().padStart(4, '0')} at position ${i}`,
            );
          }
          out[i] = code;
        }
        return out;
      };
    }
    default:
      throw new RangeError(`unsupported destination encoding ${describe(encoding)}: use utf-8, utf-16, utf-32, latin-1 or ascii`);
  }
}

/**
 * A decoder for `encoding`: latin-1 and ascii byte by byte (the WHATWG label 'ascii' is
 * windows-1252, where Python's ascii refuses bytes from 0x80), UTF-16 in the order its byte
 * order mark says, else the platform's `TextDecoder` (fatal).
 */
export function decoderFor(encoding: string): BytesToText {
  if (encoding === 'latin-1' || encoding === 'ascii') return singleBytes(encoding, encoding === 'ascii' ? 0x7f : 0xff);
  if (encoding === 'utf-16') return utf16();
  return platformDecoder(encoding.replace(/^utf-(16|32)-(le|be)$/, 'utf-$1$2'), encoding);
}

function platformDecoder(label: string, encoding: string): BytesToText {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new RangeError(`unsupported source encoding ${describe(encoding)}`);
  }
  return (bytes, end) => decoder.decode(bytes, { stream: !end });
}

/** One character per byte up to `max`; a larger byte is a `RangeError` naming its position. */
function singleBytes(encoding: string, max: number): BytesToText {
  let position = 0;
  return (bytes) => {
    let text = '';
    for (const byte of bytes) {
      if (byte > max) throw new RangeError(`'${encoding}' cannot decode byte 0x${byte.toString(16)} at position ${position}`);
      text += String.fromCharCode(byte);
      position++;
    }
    return text;
  };
}

/**
 * Python's 'utf-16': big-endian after a byte order mark FE FF, else little-endian (the mark
 * FF FE is dropped). The first two bytes wait until both came, to tell which.
 */
function utf16(): BytesToText {
  let decode: BytesToText | undefined;
  const head: number[] = [];
  return (bytes, end) => {
    if (decode !== undefined) return decode(bytes, end);
    const taken = Math.min(bytes.byteLength, 2 - head.length);
    head.push(...bytes.subarray(0, taken));
    if (head.length < 2 && !end) return '';
    decode = platformDecoder(head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : 'utf-16le', 'utf-16');
    return decode(Uint8Array.from(head), false) + decode(bytes.subarray(taken), end);
  };
}
