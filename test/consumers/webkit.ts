/**
 * The fixture pages in WebKitGTK: MiniBrowser launched directly (its WebDriver session has no
 * OPFS), via test/browser/webkit.ts. With no driver to read a page's report, each page posts it
 * to a small server here, which answers with the next page's URL: one browser walks all pages.
 * A page that never reports costs its timeout, then a fresh browser goes on with the next one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openInWebKit, webkitAvailable } from '../browser/webkit.js';
import type { PageOutcome } from './browsers.js';
import type { CheckReport } from './page/checks.js';

export { webkitAvailable };

export interface WebKitPage {
  label: string;
  url: string;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

/** Opens `pages` in order in MiniBrowser, each given `timeoutMs` to report; outcomes by label. */
export async function openAllInWebKit(pages: readonly WebKitPage[], timeoutMs: number): Promise<Map<string, PageOutcome>> {
  const outcomes = new Map<string, PageOutcome>();
  /** Page errors each page posted (see the fixtures' index.html), shown with its outcome. */
  const errors = pages.map((): string[] => []);
  const waiting = new Map<number, (report: CheckReport) => void>();
  let origin = '';
  const pageUrl = (index: number) => {
    const url = new URL(pages[index]!.url);
    url.searchParams.set('report', `${origin}/report/${index}`);
    return url.href;
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    // The pages are on other origins (other ports): the answer must allow them to read it.
    const headers = { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' };
    const [, number, error] = /^\/report\/(\d+)(\/error)?$/.exec(request.url ?? '') ?? [];
    const index = Number(number ?? NaN);
    if (request.method !== 'POST' || !Number.isInteger(index) || index >= pages.length) {
      response.writeHead(404, headers).end();
      return;
    }
    void readBody(request).then((text) => {
      if (error !== undefined) {
        errors[index]!.push(`page error: ${text}`);
        response.writeHead(204, headers).end();
        return;
      }
      waiting.get(index)?.(JSON.parse(text) as CheckReport);
      response.writeHead(200, headers).end(index + 1 < pages.length ? pageUrl(index + 1) : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'nativefile-consumers-webkit-'));
  let browser: ReturnType<typeof openInWebKit> | undefined;
  try {
    for (let index = 0; index < pages.length; index++) {
      const reported = new Promise<CheckReport | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        waiting.set(index, (report) => {
          clearTimeout(timer);
          resolve(report);
        });
      });
      // The first page, or the one after a page that never reported (its browser is closed).
      browser ??= openInWebKit(pageUrl(index), dataDir);
      const report = await reported;
      const { label, url } = pages[index]!;
      if (report !== undefined) {
        outcomes.set(label, { report, problems: errors[index]! });
      } else {
        outcomes.set(label, { problems: [`no report from ${url} in WebKitGTK within ${timeoutMs} ms`, ...errors[index]!] });
        browser.close();
        browser = undefined;
      }
    }
  } finally {
    browser?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  }
  return outcomes;
}
