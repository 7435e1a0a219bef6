/**
 * What the platform's own `CompressionStream` and `DecompressionStream` can do here, each
 * asked once.
 * @module
 */

/** A platform transform: bytes written to `writable` come out of `readable` transformed. */
export interface StreamPair {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<BufferSource>;
}

type Direction = 'compress' | 'decompress';

const supported = new Map<string, boolean>();

/** Whether the platform's `CompressionStream`/`DecompressionStream` takes `format`. */
export function platformHas(format: string, direction: Direction): boolean {
  const key = `${direction} ${format}`;
  let known = supported.get(key);
  if (known === undefined) {
    try {
      const Stream = direction === 'compress' ? globalThis.CompressionStream : globalThis.DecompressionStream;
      // The constructor throws a TypeError for a format it does not know.
      new Stream(format as CompressionFormat);
      known = true;
    } catch {
      known = false;
    }
    supported.set(key, known);
  }
  return known;
}

/** A platform transform of `format`. */
export function platformPair(format: string, direction: Direction): StreamPair {
  const Stream = direction === 'compress' ? CompressionStream : DecompressionStream;
  return new Stream(format as CompressionFormat);
}

/** 'a' and 'b' gzipped separately and joined: two gzip members. */
const TWO_MEMBERS = new Uint8Array([
  31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 75, 4, 0, 67, 190, 183, 232, 1, 0, 0, 0, 31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 75, 2, 0, 249, 239,
  190, 113, 1, 0, 0, 0,
]);

let membersSupported: Promise<boolean> | undefined;

/**
 * Whether the platform's `DecompressionStream('gzip')` reads concatenated gzip members
 * (Node's does; browsers' stop at the first). Asked once, by hand on the stream's writer and
 * reader, each of whose promises is observed: a browser that refuses the second member errors
 * the stream, and an error nobody awaits would show as the page's error.
 */
export function platformReadsGzipMembers(): Promise<boolean> {
  membersSupported ??= probeMembers();
  return membersSupported;
}

async function probeMembers(): Promise<boolean> {
  if (!platformHas('gzip', 'decompress')) return false;
  const stream = platformPair('gzip', 'decompress');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const written = Promise.all([writer.write(TWO_MEMBERS), writer.close()]).then(
    () => true,
    () => false,
  );
  let text = '';
  try {
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      text += new TextDecoder().decode(result.value);
    }
  } catch {
    await written;
    return false;
  }
  return (await written) && text === 'ab';
}
