// The OPFS file contract, written once and run in every context against every backend (a page
// through the IO worker or on the async API, a dedicated worker on sync handles or the async
// API, a SharedWorker): the test expects the same answers from each.
import type { IOError } from '../../src/errors.js';
import { OpfsFile, type OpfsOpenOptions, type OpfsReader, type OpfsWriter } from '../../src/io/backends/opfs-file.js';
import { checkPattern, fillPattern, listDir, MiB, removeEntry } from './pattern.js';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const codeOf = (error: unknown) => (error as IOError).code ?? (error as Error).name;

/** What the contract answers, besides the backend that served it. */
export type ContractResult = Record<string, unknown>;

/** Runs the contract in folder `dir` with `options` (such as `{ backend: 'async' }`). */
export async function opfsContract(
  dir: string,
  options: OpfsOpenOptions = {},
): Promise<{ backend: string; isSync: boolean; result: ContractResult }> {
  const path = (name: string) => `${dir}/${name}`;
  const open = <M extends 'rb' | 'wb' | 'ab' | 'rb+'>(name: string, mode: M, extra: OpfsOpenOptions = {}) =>
    OpfsFile.open(path(name), mode, { ...options, ...extra });
  const textOf = async (name: string) => {
    const file = await open(name, 'rb');
    try {
      return decode(await file.read());
    } finally {
      await file.close();
    }
  };
  const result: ContractResult = {};
  await removeEntry(dir);
  try {
    // 'wb' then 'rb': what was written, in order; reads past the end are empty.
    const writer = await open('a.txt', 'wb');
    const { backend, isSync } = writer;
    await writer.write(encode('hello '));
    await writer.write(encode('world'));
    result.tellAfterWrites = writer.tell();
    await writer.close();
    const reader = await open('a.txt', 'rb');
    result.read = decode(await reader.read());
    result.size = await reader.size();
    result.readAtEnd = (await reader.read(5)).length;
    result.readAt = decode(await reader.readAt(6, 100));
    result.readAtPastEnd = (await reader.readAt(50, 4)).length;
    reader.seek(-5, 2);
    result.seekFromEnd = decode(await reader.read());
    reader.seek(0);
    const buffer = await reader.readBuffer(5);
    result.readBuffer = [decode(buffer.toBytes()), reader.tell()];
    await reader.close();
    result.afterClose = await reader.read().then(
      () => 'read',
      (error: unknown) => codeOf(error),
    );

    // 'rb+': reads see the writes before them; truncate is ordered with them.
    const both = await open('a.txt', 'rb+');
    both.seek(6);
    await both.write(encode('W'));
    both.seek(0);
    result.readAfterWrite = decode(await both.read());
    await both.write(encode('!!'));
    result.sizeAfterExtend = await both.size();
    both.seek(-2, 2);
    result.tailAfterExtend = decode(await both.read());
    await both.truncate(5);
    result.afterTruncate = decode(await both.readAt(0, 100));
    result.sizeAfterTruncate = await both.size();
    await both.flush();
    both.seek(0, 2);
    await both.write(encode('.'));
    await both.close();
    result.afterReadWrite = await textOf('a.txt');

    // 'ab' starts at the end.
    const appender = await open('a.txt', 'ab');
    result.appendStartsAt = appender.tell();
    await appender.write(encode('+x'));
    await appender.close();
    result.appended = await textOf('a.txt');

    // An atomic 'wb': readers see the old file until close; an abort keeps the old file.
    const replacing = await open('a.txt', 'wb');
    await replacing.write(encode('new'));
    result.oldWhileReplacing = await textOf('a.txt');
    await replacing.close();
    result.newAfterClose = await textOf('a.txt');
    const aborted = await open('a.txt', 'wb');
    await aborted.write(encode('discarded'));
    await aborted.abort();
    result.afterAbort = await textOf('a.txt');
    // An atomic 'wb' of a new path: the file appears on close, and an abort leaves none.
    const opened = (name: string) => open(name, 'rb').then((file) => file.close().then(() => 'opened'), codeOf);
    const fresh = await open('fresh.txt', 'wb');
    await fresh.write(encode('x'));
    result.newPathWhileWriting = await opened('fresh.txt');
    await fresh.abort();
    result.newPathAfterAbort = await opened('fresh.txt');
    result.listing = await listDir(dir);

    // A second writer is EBUSY; with wait it waits, and a signal stops the wait.
    const holder = await open('a.txt', 'rb+');
    result.secondWriter = await open('a.txt', 'rb+').then((file) => file.close().then(() => 'opened'), codeOf);
    result.waitStopped = await open('a.txt', 'wb', { wait: true, signal: AbortSignal.timeout(200) }).then(
      (file) => file.close().then(() => 'opened'),
      (error: unknown) => (error as Error).name,
    );
    await holder.close();
    result.missing = await open('missing.bin', 'rb').then(() => 'opened', codeOf);

    // Lines, and a few MiB written in odd chunks and read back sequentially and at random.
    const lines = await open('lines.txt', 'wb');
    await lines.write(encode('one\ntwo\nthree'));
    await lines.close();
    const lineReader = await open('lines.txt', 'rb');
    const seen: string[] = [];
    for await (const line of lineReader.lines()) seen.push(decode(line));
    await lineReader.close();
    result.lines = seen;
    result.pattern = await patternRoundTrip(await open('big.bin', 'wb'), () => open('big.bin', 'rb'));

    // An atomic 'wb' over a bigger file (its sibling is sized ahead for the old file) ends
    // where its writes do, after a flush too (a seek from the end as well); skipped bytes are
    // zeros, and a truncate in between cuts what was written before it.
    const sevens = async () => {
      const old = await open('old.bin', 'wb');
      await old.write(new Uint8Array(8 * MiB).fill(7));
      await old.close();
    };
    await sevens();
    const shrinking = await open('old.bin', 'wb');
    await shrinking.write(encode('0123456789'));
    // Past 1 MiB: the sibling is extended to 8 MiB here (reserving-handle.ts).
    await shrinking.write(new Uint8Array(2 * MiB));
    await shrinking.flush();
    result.sizeAfterFlush = await shrinking.size();
    await shrinking.truncate(4);
    await shrinking.writeAt(8, encode('xy'));
    result.shrinkingEnd = shrinking.seek(0, 2);
    await shrinking.close();
    result.shrunk = await bytesOf(await open('old.bin', 'rb'));
    // Over a smaller file, past the size it was sized for: all of it, and nothing more.
    await sevens();
    result.grown = await patternRoundTrip(await open('old.bin', 'wb'), () => open('old.bin', 'rb'));
    // The same by an upload of a Blob (the IO worker sizes the file for the Blob).
    const uploading = await open('big.bin', 'wb');
    await uploading.write(encode('a '));
    await uploading.upload(new Blob([encode('blob')]));
    result.uploadingEnd = uploading.seek(0, 2);
    await uploading.close();
    result.uploadedOverBigger = await textOf('big.bin');
    // An abort of a 'wb' over a bigger file keeps it whole, and leaves no sibling.
    const abandoned = await open('old.bin', 'wb');
    await abandoned.write(encode('gone'));
    await abandoned.abort();
    result.afterAbortOverBigger = await patternRoundTrip(null, () => open('old.bin', 'rb'));
    result.listingAfterAbort = (await listDir(dir)).filter((name) => name.includes('old.bin'));
    return { backend, isSync, result };
  } finally {
    await removeEntry(dir);
  }
}

/** All of the file `reader` reads, as numbers; closes it. */
async function bytesOf(reader: OpfsReader): Promise<number[]> {
  try {
    return Array.from(await reader.read());
  } finally {
    await reader.close();
  }
}

/**
 * Writes 3 MiB + 5 in 100 000-byte writes (unless `writer` is null: checks what is there);
 * reads it back in 64 KiB reads, then 50 random ranges.
 */
async function patternRoundTrip(
  writer: OpfsWriter | null,
  openReader: () => Promise<OpfsReader>,
): Promise<{ size: number; sequential: boolean; random: boolean }> {
  const total = 3 * MiB + 5;
  const chunk = new Uint8Array(100_000);
  for (let offset = 0; writer !== null && offset < total; offset += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, total - offset));
    fillPattern(part, offset);
    await writer.write(part);
  }
  await writer?.close();
  const reader = await openReader();
  const size = await reader.size();
  let sequential = true;
  for (let offset = 0; offset < total; offset += 65_536) {
    const part = await reader.read(65_536);
    sequential &&= part.length === Math.min(65_536, total - offset) && checkPattern(part, offset);
  }
  let random = true;
  let seed = 11;
  for (let i = 0; i < 50; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const offset = seed % total;
    const length = (seed >>> 8) % 200_000;
    const part = await reader.readAt(offset, length);
    random &&= part.length === Math.min(length, total - offset) && checkPattern(part, offset);
  }
  await reader.close();
  return { size, sequential, random };
}
