/**
 * What the fixture apps' workers run (and the page checks share): an OpfsFile round trip read
 * back through `new Response(toReadableStream(file))`. Transpiled to `round-trip.js` for the
 * apps, like checks.ts; the worker entries (opfs-worker.js, opfs-shared.js) pass the package in.
 */
import type * as Nativefile from '../../../src/index.js';

/** Bytes whose position is recoverable from their value, so a misplaced chunk shows. */
export function pattern(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed + (i >>> 8)) & 0xff;
  return bytes;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What a worker posts back: the backend that served the read, and whether the bytes came back. */
export interface RoundTrip {
  backend: string;
  isSync: boolean;
  same: boolean;
}

/** What a worker posts when the round trip threw. */
export interface RoundTripFailure {
  error: string;
}

/**
 * Writes a file with 'wb', opens it 'rb' and streams it into a Response. `dir` is the caller's
 * own OPFS folder: the page's checks run concurrently, and each removes only what it wrote.
 */
export async function opfsRoundTrip(nf: typeof Nativefile, dir: string): Promise<RoundTrip> {
  // Not a multiple of the stream's chunk size, so the last, short chunk is exercised too.
  const bytes = pattern(300_001, 4);
  const path = `${dir}/round-trip.bin`;
  try {
    const out = await nf.OpfsFile.open(path, 'wb');
    await out.write(bytes);
    await out.close();
    const input = await nf.OpfsFile.open(path, 'rb');
    const { backend, isSync } = input;
    // The stream closes the file when it ends.
    const back = new Uint8Array(await new Response(nf.toReadableStream(input)).arrayBuffer());
    return { backend, isSync, same: sameBytes(back, bytes) };
  } finally {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry(dir, { recursive: true }).catch(() => undefined);
  }
}

/** The round trip's result, or its error as text (an Error does not survive postMessage everywhere). */
export function roundTripMessage(nf: typeof Nativefile, dir: string): Promise<RoundTrip | RoundTripFailure> {
  return opfsRoundTrip(nf, dir).catch((error: unknown) => ({
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  }));
}
