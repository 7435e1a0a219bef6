import type { Codec } from './codec.js';
import type { NativeFile } from '../core/native-file.js';

const READ_CHUNK = 64 * 1024;

/** Decompressed chunks of a file, one at a time; `undefined` at the end. */
export interface Decompressor {
  next(): Promise<Uint8Array | undefined>;
  cancel(): Promise<void>;
}

/** 'a' and 'b' gzipped separately and joined: two gzip members. */
const TWO_MEMBERS = new Uint8Array([
  31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 75, 4, 0, 67, 190, 183, 232, 1, 0, 0, 0, 31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 75, 2, 0, 249, 239,
  190, 113, 1, 0, 0, 0,
]);

let membersSupported: Promise<boolean> | undefined;

/**
 * Whether the platform's `DecompressionStream('gzip')` reads concatenated gzip members
 * (Node does; browsers stop at the first with "junk after end of data"). Asked once.
 */
function platformReadsGzipMembers(): Promise<boolean> {
  membersSupported ??= new Response(new Blob([TWO_MEMBERS]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(
    (text) => text === 'ab',
    () => false,
  );
  return membersSupported;
}

/**
 * A decompressor reading `raw`: the platform's `DecompressionStream`, except for gzip where
 * the platform cannot read concatenated members; there fflate's streaming `Gunzip` does.
 */
export async function openDecompressor(raw: NativeFile, codec: Codec): Promise<Decompressor> {
  if (codec === 'gzip' && !(await platformReadsGzipMembers())) {
    // Loaded only where needed (browsers), so bundles of apps that never gunzip leave it out.
    const { Gunzip } = await import('fflate');
    return gunzipDecompressor(raw, Gunzip);
  }
  return platformDecompressor(raw, codec);
}

function platformDecompressor(raw: NativeFile, codec: Codec): Decompressor {
  const stream = new DecompressionStream(codec);
  const reader = stream.readable.getReader();
  void feed(raw, stream.writable.getWriter());
  return {
    async next() {
      const result = await reader.read();
      return result.done ? undefined : result.value;
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

/** Copies `raw` into the decompressor as it asks for more (backpressure). */
async function feed(raw: NativeFile, writer: WritableStreamDefaultWriter<BufferSource>): Promise<void> {
  try {
    for (;;) {
      await writer.ready;
      // At most one read: a live stream's bytes are decompressed as they come.
      const chunk = await raw.read1(READ_CHUNK);
      if (chunk.byteLength === 0) break;
      await writer.write(chunk as Uint8Array<ArrayBuffer>); // read1 returns fresh, unshared memory
    }
    await writer.close();
  } catch (error) {
    await writer.abort(error).catch(() => {});
  }
}

function gunzipDecompressor(raw: NativeFile, Gunzip: typeof import('fflate').Gunzip): Decompressor {
  const ready: Uint8Array[] = [];
  const gunzip = new Gunzip((chunk) => {
    if (chunk.byteLength > 0) ready.push(chunk);
  });
  let ended = false;
  return {
    async next() {
      while (ready.length === 0) {
        if (ended) return undefined;
        const chunk = await raw.read1(READ_CHUNK);
        ended = chunk.byteLength === 0;
        gunzip.push(chunk, ended);
      }
      return ready.shift();
    },
    cancel: () => {
      ended = true;
      ready.length = 0;
      return Promise.resolve();
    },
  };
}
