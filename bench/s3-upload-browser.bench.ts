/**
 * Uploads of a 1 GiB File to a real S3 (Ceph's RADOS Gateway, on another origin with CORS)
 * from a page, in Chromium and Firefox: nativefile's resumableUpload and openOutputStream +
 * upload against the AWS SDK's `Upload` (@aws-sdk/lib-storage) in the same page, the same
 * File (an OPFS file's getFile(), kept on disk as a picked file is), 8 MiB parts, 4 in
 * flight. Each round runs every contender once, in a rotating order. The page times each
 * from making the client to the completed object and samples its JS heap (Chromium only
 * reports one); this side samples the resident memory of all the browser's processes every
 * 50 ms (/proc). Goal: at least the SDK's MB/s; peak growth at most 56 MiB.
 *
 * Run: `npx vitest bench --run bench/s3-upload-browser.bench.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { bench, describe } from 'vitest';
import { CHROMIUM_ARGS } from '../test/browser/chromium-args.mjs';
import { startS3 } from '../test/servers/s3.js';
import { isolatedServer } from './browser/pages.mjs';
import { median, record, type Row } from './harness.js';

const MiB = 1024 * 1024;
const SIZE_MIB = 1024;
// The SDK takes over a minute a round in a page: three rounds keep the run under half an hour.
const ROUNDS = Number(process.env.NATIVEFILE_UPLOAD_ROUNDS ?? 3);
/** The engines to run, `NATIVEFILE_UPLOAD_ENGINES=firefox` for one (default both). */
const ENGINES = (process.env.NATIVEFILE_UPLOAD_ENGINES ?? 'chromium,firefox')
  .split(',')
  .filter((name): name is 'chromium' | 'firefox' => name === 'chromium' || name === 'firefox');
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Resident bytes of `pid` and every process below it: all of them, and the anonymous ones
 * (the processes' own memory, without the file pages they map, which the kernel reclaims).
 */
function treeRss(pid: number): { resident: number; anonymous: number } {
  const children = new Map<number, number[]>();
  const rss = new Map<number, { resident: number; anonymous: number }>();
  const kib = (status: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      rss.set(Number(entry), { resident: kib(status, 'VmRSS'), anonymous: kib(status, 'RssAnon') });
    } catch {
      // The process ended meanwhile.
    }
  }
  const total = { resident: 0, anonymous: 0 };
  const walk = (at: number): void => {
    total.resident += rss.get(at)?.resident ?? 0;
    total.anonymous += rss.get(at)?.anonymous ?? 0;
    for (const child of children.get(at) ?? []) walk(child);
  };
  walk(pid);
  return total;
}

async function launch(engine: 'chromium' | 'firefox'): Promise<Browser> {
  return engine === 'chromium'
    ? puppeteer.launch({
        browser: 'chrome',
        executablePath: '/usr/bin/chromium',
        args: [...CHROMIUM_ARGS],
        headless: true,
        protocolTimeout: 900_000,
      })
    : puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true, protocolTimeout: 900_000 });
}

describe('upload a 1 GiB File from a page to Ceph S3 (8 MiB parts, 4 in flight)', () => {
  bench(
    '(table printed above)',
    async () => {
      const [server, pages] = await Promise.all([
        startS3(['bench'], { cors: true }),
        isolatedServer(root, {
          entries: ['bench/browser/s3-upload.html'],
          include: ['@aws-sdk/client-s3', '@aws-sdk/lib-storage'],
        }),
      ]);
      try {
        for (const engine of ENGINES) {
          const browser = await launch(engine);
          try {
            const page = await browser.newPage();
            await page.goto(`${pages.resolvedUrls!.local[0]}bench/browser/s3-upload.html`);
            await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', { timeout: 120_000 });
            await page.evaluate(
              (mib) => (globalThis as never as { bench: { prepare(m: number): Promise<void> } }).bench.prepare(mib),
              SIZE_MIB,
            );
            const names = await page.evaluate(() => (globalThis as never as { bench: { names: string[] } }).bench.names);
            const pid = browser.process()!.pid!;
            const samples = names.map(
              () => [] as Array<{ ms: number; heapGrowth: number; rssGrowth: number; anonymousGrowth: number }>,
            );
            for (let round = 0; round < ROUNDS; round++) {
              for (let k = 0; k < names.length; k++) {
                const i = (round + k) % names.length;
                const key = `${engine}-${round}-${i}.bin`;
                const base = treeRss(pid);
                const peak = { ...base };
                const sampler = setInterval(() => {
                  const now = treeRss(pid);
                  peak.resident = Math.max(peak.resident, now.resident);
                  peak.anonymous = Math.max(peak.anonymous, now.anonymous);
                }, 50);
                const target = {
                  endpoint: server.endpoint,
                  credentials: server.credentials,
                  bucket: 'bench',
                  key,
                  partSize: 8 * MiB,
                  concurrency: 4,
                };
                const result = await page.evaluate(
                  (name, t) =>
                    (
                      globalThis as never as {
                        bench: { run(n: string, t: unknown): Promise<{ ms: number; heapGrowth: number }> };
                      }
                    ).bench.run(name, t),
                  names[i]!,
                  target,
                );
                clearInterval(sampler);
                const head = await server.request(`bench/${key}`, { method: 'HEAD' });
                if (head.headers.get('content-length') !== String(SIZE_MIB * MiB))
                  throw new Error(`${names[i]} uploaded ${head.headers.get('content-length')} bytes`);
                await server.request(`bench/${key}`, { method: 'DELETE' });
                samples[i]!.push({
                  ...result,
                  rssGrowth: peak.resident - base.resident,
                  anonymousGrowth: peak.anonymous - base.anonymous,
                });
              }
            }
            const ms = samples.map((s) => median(s.map((x) => x.ms)));
            const sdk = names.length - 1;
            const lines = [
              `\n${engine} ${await browser.version()}: upload a 1 GiB File to Ceph S3 — median of ${ROUNDS} interleaved rounds`,
            ];
            const rows: Row[] = names.map((name, i) => {
              const paired = median(samples[sdk]!.map((s, r) => s.ms / samples[i]![r]!.ms));
              const heapGrowth = median(samples[i]!.map((s) => s.heapGrowth)) / MiB;
              const rssGrowth = median(samples[i]!.map((s) => s.rssGrowth)) / MiB;
              const anonymousGrowth = median(samples[i]!.map((s) => s.anonymousGrowth)) / MiB;
              const value = (SIZE_MIB * MiB) / 1e6 / (ms[i]! / 1000);
              lines.push(
                `  ${name.padEnd(44)} ${value.toFixed(0).padStart(5)} MB/s  ${(ms[sdk]! / ms[i]!).toFixed(2)}x of the SDK (paired ${paired.toFixed(2)}x)  heap +${heapGrowth.toFixed(1)} MiB  browser RSS +${rssGrowth.toFixed(0)} MiB (anonymous +${anonymousGrowth.toFixed(0)})`,
              );
              return {
                name,
                ms: ms[i]!,
                value,
                firstOverThis: ms[i]! / ms[0]!,
                pairedFirstOverThis: median(samples[i]!.map((s, r) => s.ms / samples[0]![r]!.ms)),
                samples: samples[i]!.map((x) => x.ms),
              };
            });
            lines.push("  (goal: at least the SDK's MB/s; peak growth at most (4 + 1) × 8 MiB + 16 MiB = 56 MiB)");
            console.log(lines.join('\n'));
            record(
              's3-upload-browser',
              `${engine}: upload a 1 GiB File to Ceph S3 (8 MiB parts, 4 in flight)`,
              rows,
              'MB/s',
              `${engine} ${await browser.version()}`,
            );
          } finally {
            await browser.close();
          }
        }
      } finally {
        await Promise.all([server.stop(), pages.close()]);
      }
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  );
});
