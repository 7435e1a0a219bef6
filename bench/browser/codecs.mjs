// The codec benchmark in Chromium and Firefox (npm run bench runs it after the other browser
// benchmarks; its tables go into bench/results.json too):
//   flock /tmp/nativefile-heavy.lock node bench/browser/codecs.mjs [rounds]
// zstd and lz4 decompression and compression of the 64 MiB mixed payload in the page, against
// the reference tool run here (single thread, on the same bytes) in the same rounds, and the
// fastest npm package not picked (fzstd, lz4js). Each round runs every contender once, in a
// rotating order; the tables give the medians.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isolatedServer, openPage } from './pages.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = join(root, 'bench/results.json');
const rounds = Number(process.argv[2] ?? 7);
const folder = join(root, 'bench/.codecs');

// The payload, made by the same module the page uses, then each tool's output of it.
mkdirSync(folder, { recursive: true });
const bundled = await build({ entryPoints: [join(root, 'bench/codec-payload.ts')], bundle: true, format: 'esm', write: false });
const { mixedPayload } = await import(
  `data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`
);
const payload = mixedPayload();
const payloadPath = join(folder, 'payload.bin');
writeFileSync(payloadPath, payload);
const TOOLS = {
  zstd: { compress: 'zstd -3 -T1 -c', decompress: 'zstd -d -T1 -c' },
  lz4: { compress: 'lz4 -1 -c', decompress: 'lz4 -d -c' },
};
for (const [name, tool] of Object.entries(TOOLS)) {
  execFileSync('sh', ['-c', `${tool.compress} "$1" > "$2"`, 'sh', payloadPath, join(folder, `payload.${name}`)]);
}
const toolSpeed = (command, input) => {
  const started = performance.now();
  execFileSync('sh', ['-c', `exec ${command} < "$1" > /dev/null`, 'sh', input]);
  return payload.byteLength / 1e6 / ((performance.now() - started) / 1000);
};

const GROUPS = {
  'zstd: decompress 64 MiB mixed (zstd -3 output)': ['zstdCodecDecompress', 'zstdStream', 'tool:zstd -d -T1', 'fzstdDecompress'],
  'zstd: compress 64 MiB mixed at level 3': ['zstdCodecCompress', 'tool:zstd -3 -T1'],
  'lz4: decompress 64 MiB mixed (lz4 -1 output)': ['lz4CodecDecompress', 'lz4Stream', 'tool:lz4 -d', 'lz4jsDecompress'],
  'lz4: compress 64 MiB mixed at level 1': ['lz4CodecCompress', 'tool:lz4 -1', 'lz4jsCompress'],
};
const TOOL_RUNS = {
  'tool:zstd -d -T1': () => toolSpeed(TOOLS.zstd.decompress, join(folder, 'payload.zstd')),
  'tool:zstd -3 -T1': () => toolSpeed('zstd -3 -T1 -c', payloadPath),
  'tool:lz4 -d': () => toolSpeed(TOOLS.lz4.decompress, join(folder, 'payload.lz4')),
  'tool:lz4 -1': () => toolSpeed('lz4 -1 -c', payloadPath),
};

const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
const server = await isolatedServer(root, { entries: ['bench/browser/codecs.html'], include: ['fzstd', 'lz4js'] });
let failed = false;
const tables = {};
try {
  for (const engine of ['chromium', 'firefox']) {
    let page;
    try {
      page = await openPage(engine, `${server.resolvedUrls.local[0]}bench/browser/codecs.html`);
      if (page === undefined) continue;
      await page.evaluate(() => globalThis.bench.prepare());
      for (const [title, names] of Object.entries(GROUPS)) {
        const samples = Object.fromEntries(names.map((name) => [name, []]));
        for (let round = 0; round < rounds + 1; round++) {
          for (let k = 0; k < names.length; k++) {
            const name = names[(round + k) % names.length];
            const value = name.startsWith('tool:')
              ? TOOL_RUNS[name]()
              : await page.evaluate((name) => globalThis.bench[name](), name);
            if (round > 0) samples[name].push(value);
          }
        }
        const first = median(samples[names[0]]);
        const rows = names.map((name) => ({
          name,
          value: median(samples[name]),
          firstOverThis: first / median(samples[name]),
          pairedFirstOverThis: median(samples[name].map((value, round) => samples[names[0]][round] / value)),
          samples: samples[name],
        }));
        console.log(`\n${engine} ${page.version}: ${title} (MB/s), median of ${rounds} interleaved rounds`);
        for (const row of rows) {
          const ratio =
            row.name === names[0]
              ? '        (first)'
              : `${row.firstOverThis.toFixed(2).padStart(8)}x  (paired ${row.pairedFirstOverThis.toFixed(2)}x)`;
          console.log(`  ${row.name.padEnd(26)} ${row.value.toFixed(0).padStart(8)}${ratio}`);
        }
        tables[`browser ${engine}: ${title}`] = {
          measuredAt: new Date().toISOString(),
          runtime: `${engine} ${page.version}`,
          unit: 'MB/s',
          rows,
        };
      }
    } catch (error) {
      failed = true;
      console.error(`${engine}: ${error?.stack ?? error}`);
    } finally {
      await page?.close();
    }
  }
  console.log('  (ratio: the first row is that many times as fast as the row; a tool row runs in Node, outside the page)');
  let file;
  try {
    if (existsSync(RESULTS)) file = JSON.parse(readFileSync(RESULTS, 'utf8'));
  } catch {
    // A torn or foreign file: start a new one.
  }
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: `${platform()} ${arch()}` };
  writeFileSync(RESULTS, `${JSON.stringify({ machine, tables: { ...file?.tables, ...tables } }, null, 2)}\n`);
} finally {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
