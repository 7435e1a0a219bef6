// The raw routes behind an atomic 'wb', step by step: a sync access handle in a
// worker replacing a 128 MiB OPFS file with a 128 MiB Blob in place, or through a sibling moved
// over it on close (appended, extended once past 1 MiB as src/opfs/reserving-handle.ts does, or
// extended at open). Routes interleave, the order rotating each round; each step is printed as
// the median of the rounds (ms), with each route's speed against in place (the median of each
// round's own ratio). No nativefile code runs in the routes.
//
//   [NATIVEFILE_BENCH_ENGINE=firefox] node bench/replace-probe.mjs [rounds]
//
// Chromium by default; NATIVEFILE_BENCH_PROFILE=disk runs it on a profile on disk, as
// bench/browser.mjs does: Playwright's default browser context is off the record, where
// Chromium keeps OPFS files in memory (extending a file there allocates and zeroes its memory
// in the browser process). Firefox keeps them on disk.
import { fileURLToPath } from 'node:url';
import { isolatedServer, openPage } from './browser/pages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.argv[2] ?? 9);
const ROUTES = ['inPlace', 'appended', 'extended', 'extendedAtOpen'];
const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];

const server = await isolatedServer(root, { entries: ['bench/browser/index.html'], include: ['comlink'] });
const onDisk = process.env.NATIVEFILE_BENCH_PROFILE === 'disk';
const engine = process.env.NATIVEFILE_BENCH_ENGINE ?? 'chromium';
const page = await openPage(engine, `${server.resolvedUrls.local[0]}bench/browser/index.html`, { onDisk });
if (page === undefined) throw new Error(`${engine} is not installed`);
const { version, close } = page;
try {
  await page.evaluate(() => globalThis.bench.prepare(128));
  const samples = Object.fromEntries(ROUTES.map((route) => [route, []]));
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (let k = 0; k < ROUTES.length; k++) {
      const route = ROUTES[(round + k) % ROUTES.length];
      const steps = await page.evaluate((route) => globalThis.bench.replaceSteps(route), route);
      if (round > 0) samples[route].push(steps); // round 0 warms up
    }
  }
  console.log(
    `${engine} ${version} (OPFS ${engine === 'chromium' && !onDisk ? 'in memory: off the record' : 'on disk'}), median of ${ROUNDS} interleaved rounds, ms`,
  );
  const names = [
    ...['lookup', 'removeLeftover', 'lookupOld', 'createSibling', 'syncHandle', 'truncate0', 'extendAtOpen'],
    ...['upload', 'flush', 'close', 'move', 'total', 'writes', 'extend'],
  ];
  console.log(`  ${'step'.padEnd(16)}${ROUTES.map((route) => route.padStart(16)).join('')}`);
  for (const name of names) {
    const cells = ROUTES.map((route) =>
      median(samples[route].map((steps) => steps[name] ?? 0))
        .toFixed(1)
        .padStart(16),
    );
    console.log(`  ${name.padEnd(16)}${cells.join('')}`);
  }
  const paired = ROUTES.map((route) =>
    median(samples[route].map((steps, round) => samples.inPlace[round].total / steps.total))
      .toFixed(2)
      .padStart(15),
  );
  console.log(`  ${'x of inPlace'.padEnd(16)}${paired.map((ratio) => `${ratio}x`).join('')}`);
  for (const route of ROUTES)
    console.log(`  ${route} totals: ${samples[route].map((steps) => steps.total.toFixed(0)).join(' ')}`);
} finally {
  await close();
  await server.close();
}
