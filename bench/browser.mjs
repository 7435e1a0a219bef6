// Browser benchmarks (npm run bench runs them after the Node ones): the Vite dev server with
// COOP/COEP, then the same page in headless Chromium (playwright-core) and in Firefox
// (puppeteer-core over WebDriver BiDi; bench/browser/pages.mjs opens both). In each engine
// every contender is measured in the same page, interleaved (the order rotates each round),
// and reported as the median of the rounds against its peers in that engine. The tables are
// printed and merged into bench/results.json beside the Node ones.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isolatedServer, openPage } from './browser/pages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));
const ROUNDS = 7;
// NATIVEFILE_BENCH=write (a group title's start) runs only the matching groups;
// NATIVEFILE_BENCH_ENGINE=chromium (or firefox) only that engine.
const ONLY = process.env.NATIVEFILE_BENCH;
const ENGINES = process.env.NATIVEFILE_BENCH_ENGINE?.split(',') ?? ['chromium', 'firefox'];
// Chromium's pages open in Playwright's default context, which is off the record: Chromium
// keeps its OPFS files in memory there, where growing a file allocates and zeroes memory in
// the browser process (about 0.5 ms a MiB here). NATIVEFILE_BENCH_PROFILE=disk runs Chromium on
// a profile of its own in a temporary folder instead, OPFS files on disk as in a normal window;
// its tables are recorded apart ('chromium-disk').
const ON_DISK = process.env.NATIVEFILE_BENCH_PROFILE === 'disk';
// Each group may list `pairs`, [ours, peer]: printed as ours, the peer, ours / peer (ratio of
// medians) and the median of each round's own ratio; and `chromiumOnly`, contenders the other
// engines skip.
const GROUPS = {
  // Every contender replaces the same existing 128 MiB file, timed from opening it to closing
  // it. An atomic 'wb' writes a new sibling, which must grow from nothing where the file
  // rewritten in place keeps its room; it is sized ahead (src/opfs/reserving-handle.ts).
  // bench/replace-probe.mjs times the raw sync access handle routes behind that step by step
  // (in place, appending, extended ahead, extended at open).
  'write a 128 MiB Blob over a 128 MiB OPFS file from the page': {
    unit: 'MB/s',
    names: [
      'opfsUploadStream',
      'opfsUploadBlob',
      'opfsUploadBlobInPlace',
      'createWritablePipe',
      'rawSyncWorkerWrite',
      'rawSyncWorkerReplace',
      'rawSyncWorkerWriteStream',
      'rawPageToWorkerAhead',
      'rawPageToWorkerAheadByob',
      'rawPageToWorkerAheadByobReplace',
    ],
    // Firefox writes a sample in ~0.2 s, where a few ms of the shared machine's noise show.
    rounds: 11,
    // Firefox gives a Blob's stream as one chunk: moved whole to the raw worker, its 128 MiB
    // slowed the contenders after it (0.47-0.58x where they ran at 0.84-0.94x). And a stream
    // transferred to a worker slows Firefox's page stream reads after it: upload(blob.stream())
    // taking turns with it ran at 248-386 MB/s in every round, with the other raw routes at
    // 611-715 (bench/upload-probe.mjs).
    chromiumOnly: ['rawPageToWorkerAhead', 'rawSyncWorkerWriteStream'],
    pairs: [
      ['opfsUploadStream', 'rawSyncWorkerWrite'],
      ['opfsUploadBlob', 'rawSyncWorkerWrite'],
      ['opfsUploadBlobInPlace', 'rawSyncWorkerWrite'],
      ['opfsUploadStream', 'createWritablePipe'],
      ['opfsUploadBlob', 'createWritablePipe'],
      ['rawSyncWorkerWrite', 'createWritablePipe'],
      ['opfsUploadStream', 'rawSyncWorkerReplace'],
      ['rawSyncWorkerReplace', 'rawSyncWorkerWrite'],
      ['opfsUploadStream', 'rawSyncWorkerWriteStream'],
      ['opfsUploadStream', 'rawPageToWorkerAhead'],
      ['rawPageToWorkerAhead', 'rawSyncWorkerWrite'],
      ['rawPageToWorkerAheadByob', 'rawSyncWorkerWrite'],
      ['opfsUploadStream', 'rawPageToWorkerAheadByob'],
      ['opfsUploadStream', 'rawPageToWorkerAheadByobReplace'],
      ['rawPageToWorkerAheadByobReplace', 'rawPageToWorkerAheadByob'],
      ['rawPageToWorkerAheadByob', 'rawPageToWorkerAhead'],
    ],
  },
  // What sizing the sibling ahead for the old file costs where little is written, and what a
  // file costs beyond its bytes against a raw sync handle in a worker rewriting it in place.
  'write 64 KiB over a 128 MiB OPFS file from the page': {
    unit: 'files/s',
    names: ['opfsSmallOverBig', 'opfsSmallOverBigInPlace', 'rawSmallOverBigInPlace'],
  },
  'read a 128 MiB OPFS file, 1 MiB at a time': {
    unit: 'MB/s',
    names: [
      'opfsFileReads',
      'rawSyncAccessInWorker',
      'rawSyncAccessIntoShared',
      'getFileArrayBuffer',
      'opfsFileReadAll',
      'opfsFileReads4k',
      'rawSyncAccessInWorker4k',
    ],
  },
  // Many short rounds: the contenders differ by a few µs of a read's 160-800, which the median
  // of 7 long rounds on this shared machine does not resolve.
  'random 64 KiB reads from a 32 MiB Blob': {
    unit: 'reads/s',
    names: ['blobFileReadAt', 'blobSliceArrayBuffer', 'blobSliceThenCopy'],
    rounds: 61,
  },
  'sequential 4 KiB reads from an 8 MiB Blob': { unit: 'reads/s', names: ['blobFileSequential', 'blobSliceSequential'] },
  // The same work split between 2 workers or done by 1, with controls split the same way in
  // the same rounds: the same allocations by the allocator's own calls (no Buffer objects), and
  // from a pool of each worker's own (nothing shared: how far the shared pool could scale
  // here), and arithmetic, dependent and independent, and loads and stores in each worker's own
  // small array (what the machine gives 2 threads now, to work that touches memory and not).
  'wasm pool, allocate + release of 64 B to 1 KiB, and controls, from 2 workers / from 1': {
    unit: 'M steps/s',
    names: [
      'poolTwoWorkers',
      'poolOneWorker',
      'callsTwoWorkers',
      'callsOneWorker',
      'ownPoolTwoWorkers',
      'ownPoolOneWorker',
      'memoryTwoWorkers',
      'memoryOneWorker',
      'computeTwoWorkers',
      'computeOneWorker',
      'independentTwoWorkers',
      'independentOneWorker',
    ],
    rounds: 21,
    pairs: [
      ['poolTwoWorkers', 'poolOneWorker'],
      ['callsTwoWorkers', 'callsOneWorker'],
      ['ownPoolTwoWorkers', 'ownPoolOneWorker'],
      ['memoryTwoWorkers', 'memoryOneWorker'],
      ['computeTwoWorkers', 'computeOneWorker'],
      ['independentTwoWorkers', 'independentOneWorker'],
    ],
  },
  'wasm pool, allocate + release of 64 B to 64 KiB, and controls, from 2 workers / from 1': {
    unit: 'M steps/s',
    names: [
      'poolMixedTwoWorkers',
      'poolMixedOneWorker',
      'callsMixedTwoWorkers',
      'callsMixedOneWorker',
      'ownPoolMixedTwoWorkers',
      'ownPoolMixedOneWorker',
      'memoryTwoWorkers',
      'memoryOneWorker',
      'computeTwoWorkers',
      'computeOneWorker',
    ],
    rounds: 21,
    pairs: [
      ['poolMixedTwoWorkers', 'poolMixedOneWorker'],
      ['callsMixedTwoWorkers', 'callsMixedOneWorker'],
      ['ownPoolMixedTwoWorkers', 'ownPoolMixedOneWorker'],
      ['memoryTwoWorkers', 'memoryOneWorker'],
      ['computeTwoWorkers', 'computeOneWorker'],
    ],
  },
};
const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];

function record(tables) {
  let file;
  try {
    if (existsSync(RESULTS)) file = JSON.parse(readFileSync(RESULTS, 'utf8'));
  } catch {
    // A torn or foreign file: start a new one.
  }
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: `${platform()} ${arch()}` };
  writeFileSync(RESULTS, `${JSON.stringify({ machine, tables: { ...file?.tables, ...tables } }, null, 2)}\n`);
}

const server = await isolatedServer(root, { entries: ['bench/browser/index.html'], include: ['comlink'] });
let failed = false;
try {
  for (const engine of ENGINES) {
    let page;
    try {
      page = await openPage(engine, `${server.resolvedUrls.local[0]}bench/browser/index.html`, { onDisk: ON_DISK });
      if (page === undefined) {
        console.log(`\n${engine}: not found (set NATIVEFILE_FIREFOX or apt-get install firefox-esr); its rows are skipped`);
        continue;
      }
      const run = (name) => page.evaluate((name) => globalThis.bench[name](), name);
      await page.evaluate(() => globalThis.bench.prepare(128));
      const tables = {};
      for (const [title, group] of Object.entries(GROUPS)) {
        if (ONLY !== undefined && !title.startsWith(ONLY)) continue;
        const { unit, rounds = ROUNDS } = group;
        const runs = (name) => engine === 'chromium' || !group.chromiumOnly?.includes(name);
        const names = group.names.filter(runs);
        const pairs = (group.pairs ?? []).filter((pair) => pair.every(runs));
        const samples = Object.fromEntries(names.map((name) => [name, []]));
        for (let round = 0; round < rounds + 1; round++) {
          for (let k = 0; k < names.length; k++) {
            const name = names[(round + k) % names.length];
            const value = await run(name);
            if (round > 0) samples[name].push(value); // round 0 warms up
          }
        }
        const first = median(samples[names[0]]);
        const rows = names.map((name) => ({
          name,
          value: median(samples[name]),
          firstOverThis: first / median(samples[name]),
          // The median of each round's own ratio: a round's load hits both contenders alike.
          pairedFirstOverThis: median(samples[name].map((value, round) => samples[names[0]][round] / value)),
          samples: samples[name],
        }));
        console.log(`\n${engine} ${page.version}: ${title} (${unit}), median of ${rounds} interleaved rounds`);
        for (const row of rows) {
          const ratio =
            row.name === names[0]
              ? '        (first)'
              : `${row.firstOverThis.toFixed(2).padStart(8)}x  (paired ${row.pairedFirstOverThis.toFixed(2)}x)`;
          console.log(`  ${row.name.padEnd(26)} ${row.value.toFixed(row.value < 100 ? 2 : 0).padStart(8)}${ratio}`);
        }
        const pairRows = pairs.map(([ours, peer]) => ({
          ours,
          peer,
          ratio: median(samples[ours]) / median(samples[peer]),
          paired: median(samples[ours].map((value, round) => value / samples[peer][round])),
        }));
        for (const { ours, peer, ratio, paired } of pairRows) {
          const digits = median(samples[peer]) < 100 ? 2 : 0;
          const figures = `${median(samples[ours]).toFixed(digits)} / ${median(samples[peer]).toFixed(digits)} ${unit}`;
          console.log(
            `  ${`${ours} / ${peer}`.padEnd(50)} ${figures.padStart(18)} = ${ratio.toFixed(2)}x (paired ${paired.toFixed(2)}x)`,
          );
        }
        tables[`browser ${engine === 'chromium' && ON_DISK ? 'chromium-disk' : engine}: ${title}`] = {
          measuredAt: new Date().toISOString(),
          runtime: `${engine} ${page.version}`,
          unit,
          rows,
          ...(pairRows.length > 0 ? { pairs: pairRows } : {}),
        };
      }
      console.log(`  (ratio: the first row is that many times as fast as the row; higher ${'is'} faster in this unit)`);
      record(tables);
    } catch (error) {
      failed = true;
      console.error(`${engine}: ${error?.stack ?? error}`);
    } finally {
      await page?.close();
    }
  }
} finally {
  await server.close();
}
process.exitCode = failed ? 1 : 0;
