// The page-side upload contenders of bench/browser.mjs's 128 MiB replace group, a few at a time
// in a fixed order (no rotation), to tell a contender's own speed from what the group's other
// contenders leave behind. Firefox: upload(blob.stream()) ran at 0.96-1.04x of a raw sync handle
// rewriting the file in place here, where the whole group's rotation gave 0.36-0.88x.
//
//   [NATIVEFILE_BENCH_ENGINE=chromium] node bench/upload-probe.mjs [rounds] [contender...]
//
// Prints each contender's MB/s per round and the median.
import { fileURLToPath } from 'node:url';
import { isolatedServer, openPage } from './browser/pages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.argv[2] ?? 9);
const names =
  process.argv.length > 3
    ? process.argv.slice(3)
    : ['opfsUploadStream', 'opfsUploadBlob', 'rawPageToWorkerAheadByob', 'createWritablePipe', 'rawSyncWorkerWrite'];
const engine = process.env.NATIVEFILE_BENCH_ENGINE ?? 'firefox';
const server = await isolatedServer(root, { entries: ['bench/browser/index.html'], include: ['comlink'] });
const page = await openPage(engine, `${server.resolvedUrls.local[0]}bench/browser/index.html`, {});
if (page === undefined) throw new Error(`${engine} is not installed`);
try {
  await page.evaluate(() => globalThis.bench.prepare(128));
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of names) samples[name].push(await page.evaluate((contender) => globalThis.bench[contender](), name));
  }
  console.log(`${engine} ${page.version}: MB/s per round, replacing a 128 MiB OPFS file from the page`);
  for (const [name, values] of Object.entries(samples)) {
    const median = values.slice().sort((a, b) => a - b)[values.length >> 1];
    console.log(
      `  ${name.padEnd(26)} ${values.map((value) => Math.round(value).toString().padStart(4)).join(' ')}   median ${Math.round(median)}`,
    );
  }
} finally {
  await page.close();
  await server.close();
}
