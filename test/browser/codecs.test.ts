/**
 * The codecs in Chromium and Firefox pages, byte-exact against the reference tools both ways:
 * the tools (run here, in Node) write fixtures, two outputs joined, which the page reads; what
 * the page writes (streams and Codec) the tools read back. Also: the first gzip stream of a
 * page logs no page error (Firefox errored an unobserved stream in the members probe).
 */
import { gzipSync } from 'node:zlib';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { concat, runTool, sample, TOOL_CODECS, TOOL_READS_CONCATENATED } from '../codecs/tools.js';
import type { CodecsHarness } from './harness-codecs.js';
import { available, harnessCaller, launch, type BrowserDriver, type Engine, type PageDriver } from './driver.js';
import { isolation, startServer, urlOf } from './servers.js';

let server: ViteDevServer;
beforeAll(async () => {
  server = await startServer(isolation);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const call = harnessCaller<CodecsHarness>();
const base64 = (bytes: Uint8Array): string => globalThis.Buffer.from(bytes).toString('base64');
const bytesOf = (text: string): Uint8Array => new Uint8Array(globalThis.Buffer.from(text, 'base64'));
const first = sample(300_000, 11);
const second = sample(200_000, 12);
const both = concat(first, second);
const engines: Engine[] = ['chromium', 'firefox'];

describe.each(engines)('codecs in %s', (engine) => {
  let driver: BrowserDriver;
  let page: PageDriver;
  const errors: string[] = [];
  beforeAll(async () => {
    if (!available(engine)) return;
    driver = await launch(engine);
    page = await driver.newPage((message) => errors.push(message));
    await page.goto(urlOf(server, '/test/browser/codecs.html'));
    await page.waitFor(() => document.getElementById('status')?.textContent === 'ready');
  }, 120_000);
  afterAll(async () => {
    await driver?.close();
  });
  const runs = available(engine) ? test : test.skip;

  runs('the first gzip stream reads two members and logs no page error', async () => {
    const joined = concat(gzipSync(new TextEncoder().encode('hello ')), gzipSync(new TextEncoder().encode('world')));
    expect(await call(page, 'firstGunzip', base64(joined))).toBe('hello world');
    // An errored stream nobody observes shows up a moment later.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(errors).toEqual([]);
  });

  runs('says which formats the platform streams take', async () => {
    const formats = await call(page, 'platform');
    console.log(`${engine} CompressionStream/DecompressionStream formats:`, JSON.stringify(formats));
    expect(formats.gzip).toEqual({ compress: true, decompress: true });
  });

  for (const codec of TOOL_CODECS) {
    runs(
      `${codec}: the page reads what the tool writes, two outputs joined, byte-exact`,
      async () => {
        const joined = concat(runTool(codec, 'compress', first), runTool(codec, 'compress', second));
        expect(await call(page, 'decompress', codec, base64(joined), base64(both))).toEqual({ stream: true, codec: true });
      },
      60_000,
    );

    runs(
      `${codec}: the tool reads what the page writes, two outputs joined, byte-exact`,
      async () => {
        const a = await call(page, 'compress', codec, base64(first));
        const b = await call(page, 'compress', codec, base64(second));
        for (const [written, data] of [
          [a.stream, first],
          [a.codec, first],
          [b.stream, second],
          [b.codec, second],
        ] as const) {
          expect(globalThis.Buffer.from(runTool(codec, 'decompress', bytesOf(written))).equals(data)).toBe(true);
        }
        const joined = concat(bytesOf(a.stream), bytesOf(b.codec));
        if (TOOL_READS_CONCATENATED(codec)) {
          expect(globalThis.Buffer.from(runTool(codec, 'decompress', joined)).equals(both)).toBe(true);
        } else {
          // The brotli tool reads one stream; the page reads both.
          expect(await call(page, 'decompress', codec, base64(joined), base64(both))).toEqual({ stream: true, codec: true });
        }
        const leveled = await call(page, 'compress', codec, base64(first.subarray(0, 50_000)), codec === 'zstd' ? 19 : 1);
        expect(
          globalThis.Buffer.from(runTool(codec, 'decompress', bytesOf(leveled.stream))).equals(first.subarray(0, 50_000)),
        ).toBe(true);
      },
      120_000,
    );

    runs(`${codec}: a bomb stops at maxOutputBytes`, async () => {
      const bomb = runTool(codec, 'compress', new Uint8Array(32 * 1024 * 1024));
      expect(await call(page, 'bomb', codec, base64(bomb), 1024 * 1024)).toMatch(
        new RegExp(`^E2BIG: ${codec} data expands past maxOutputBytes`),
      );
    });
  }

  runs('logged no page error in all of it', () => {
    expect(errors).toEqual([]);
  });
});
