// The async OPFS backend benchmark in Chromium, Firefox and WebKitGTK, one run each (npm run
// bench runs it after bench/browser.mjs; its tables go into bench/results.json too):
//   flock /tmp/nativefile-browser.lock node bench/browser/opfs-async.mjs [mib] [rounds]
// Each engine opens bench/browser/opfs-async.html from a COOP/COEP Vite server; the page
// measures every contender interleaved and posts the medians back here.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { isolatedServer } from './pages.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const [mib = '64', rounds = '7'] = process.argv.slice(2);
let deliver = () => {};
const server = await isolatedServer(root, {
  plugins: [
    {
      name: 'bench-results',
      configureServer(vite) {
        vite.middlewares.use('/__bench', (request, response) => {
          let text = '';
          request.setEncoding('utf8');
          request.on('data', (chunk) => (text += chunk));
          request.on('end', () => {
            response.statusCode = 204;
            response.end();
            deliver(JSON.parse(text));
          });
        });
      },
    },
  ],
});
const url = `${server.resolvedUrls.local[0]}bench/browser/opfs-async.html?mib=${mib}&rounds=${rounds}`;
const nextResult = () =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no result within 10 minutes')), 600_000);
    deliver = (result) => (clearTimeout(timer), resolve(result));
  });

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const engines = {
  async chromium() {
    const browser = await chromium.launch({
      executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const result = nextResult();
    await (await browser.newPage()).goto(url);
    try {
      return await result;
    } finally {
      await browser.close();
    }
  },
  async firefox() {
    const browser = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true });
    const result = nextResult();
    await (await browser.newPage()).goto(url);
    try {
      return await result;
    } finally {
      await browser.close();
    }
  },
  async webkit() {
    const data = mkdtempSync(join(tmpdir(), 'nativefile-webkit-bench-'));
    const result = nextResult();
    const child = spawn(
      'xvfb-run',
      ['-a', MINIBROWSER, '--features=+FileSystem,+StorageAPI,+FileSystemWritableStream,+AccessHandle', url],
      {
        detached: true,
        stdio: 'ignore',
        // TMPDIR: WebKitGTK leaves every createWritable()'s swap file there; `data` is removed.
        env: { ...process.env, JSC_useSharedArrayBuffer: '1', XDG_DATA_HOME: data, XDG_CACHE_HOME: data, TMPDIR: data },
      },
    );
    try {
      return await result;
    } finally {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      rmSync(data, { recursive: true, force: true });
    }
  },
};

const pairs = [
  ['asyncBackendReads', 'getFileSliceArrayBuffer', 0.9],
  ['asyncBackendReadBuffer', 'getFileSliceArrayBuffer', 0.9],
  ['asyncBackendWrites', 'createWritablePipe', 0.95],
  ['asyncBackendWritesInPlace', 'createWritablePipe', 0.95],
];
/** Merges `tables` into bench/results.json, beside the other benchmarks' tables. */
function record(tables) {
  const path = join(root, 'bench/results.json');
  let file;
  try {
    if (existsSync(path)) file = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // A torn or foreign file: start a new one.
  }
  writeFileSync(path, `${JSON.stringify({ ...file, tables: { ...file?.tables, ...tables } }, null, 2)}\n`);
}

let failed = false;
/**
 * The median of each round's own ratio. WebKitGTK's writes slow down partway through a run (a
 * 64 MiB write loop 113-150 ms, then 280-370 ms, for every writer alike), which moves medians
 * taken across rounds by which contender's rounds fell where, but not a round's own ratio.
 */
const paired = (ours, peer) => ours.map((value, round) => value / peer[round]).sort((a, b) => a - b)[ours.length >> 1];

const tables = {};
try {
  for (const [engine, run] of Object.entries(engines)) {
    if (engine === 'firefox' && !existsSync('/usr/bin/firefox-esr')) continue;
    if (engine === 'webkit' && !existsSync(MINIBROWSER)) continue;
    const result = await run();
    if (result.error) {
      console.log(`\n${engine}: ${result.error}`);
      failed = true;
      continue;
    }
    console.log(`\n${engine} — ${result.mib} MiB, 1 MiB per call, MB/s, median of ${result.rounds} interleaved rounds`);
    tables[`opfs-async ${engine}: ${result.mib} MiB, 1 MiB per call`] = {
      measuredAt: new Date().toISOString(),
      runtime: result.userAgent,
      unit: 'MB/s',
      rows: pairs.map(([ours, peer, target]) => ({
        name: ours,
        value: result.medians[ours],
        peer,
        peerValue: result.medians[peer],
        ratio: result.medians[ours] / result.medians[peer],
        pairedRatio: paired(result.samples[ours], result.samples[peer]),
        target,
        samples: result.samples[ours],
      })),
    };
    for (const [ours, peer, target] of pairs) {
      const ratio = result.medians[ours] / result.medians[peer];
      const inRounds = paired(result.samples[ours], result.samples[peer]);
      console.log(
        `  ${ours.padEnd(25)} ${result.medians[ours].toFixed(0).padStart(6)}   ${peer.padEnd(24)} ${result.medians[peer].toFixed(0).padStart(6)}   ratio ${ratio.toFixed(2)}x, paired ${inRounds.toFixed(2)}x (target ≥ ${target}x)`,
      );
    }
  }
  record(tables);
} finally {
  await server.close();
}
process.exitCode = failed ? 1 : 0;
