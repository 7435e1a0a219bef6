// Browser benchmarks (npm run bench runs them after the Node ones): headless Chromium against
// the Vite dev server with COOP/COEP; every contender measured in the same page, interleaved.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = await createServer({
  configFile: false,
  root,
  logLevel: 'error',
  server: {
    host: '127.0.0.1',
    port: 0,
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
});
await server.listen();
const browser = await chromium.launch({
  executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${server.resolvedUrls.local[0]}bench/browser/index.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 60_000 });
  const run = (name) => page.evaluate((name) => globalThis.bench[name](), name);
  await page.evaluate(() => globalThis.bench.prepare(128));

  const rounds = 5;
  const groups = {
    'read a 128 MiB OPFS file, 1 MiB at a time (MB/s)': ['opfsFileReads', 'rawSyncAccessInWorker', 'rawSyncAccessIntoShared', 'getFileArrayBuffer'],
    'random 64 KiB reads from a 32 MiB Blob (reads/s)': ['blobFileReadAt', 'blobSliceArrayBuffer'],
    'sequential 4 KiB reads from an 8 MiB Blob (reads/s)': ['blobFileSequential', 'blobSliceSequential'],
  };
  for (const [title, names] of Object.entries(groups)) {
    const samples = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) for (const name of names) samples[name].push(await run(name));
    const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
    const first = median(samples[names[0]]);
    console.log(`\n${title}, median of ${rounds}`);
    for (const name of names) {
      const value = median(samples[name]);
      const ratio = name === names[0] ? '' : `   ${names[0]} is ${(first / value).toFixed(2)}x this`;
      console.log(`  ${name.padEnd(24)} ${value.toFixed(0).padStart(8)}${ratio}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
