// The demo, driven as a user would: pick a file, wait for it to be stored, seek in the hex view.
import { mkdirSync } from 'node:fs';
import { expect } from 'vitest';
import type { BrowserDriver } from './driver.js';
import { root } from './servers.js';

export async function demoTest(driver: BrowserDriver, url: string): Promise<void> {
  const page = await driver.newPage((message) => console.log(`${driver.engine} demo error:`, message));
  try {
    await page.goto(url);
    await page.waitFor(() => document.getElementById('picker') !== null);
    // Both drivers can run this: a DataTransfer puts a File into the picker, as a user would.
    await page.evaluate(() => {
      const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) & 0xff);
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'sample.bin', { type: 'application/octet-stream' }));
      const picker = document.getElementById('picker') as HTMLInputElement;
      picker.files = transfer.files;
      picker.dispatchEvent(new Event('change'));
    }, undefined);
    await page.waitFor(() => document.getElementById('status')!.textContent!.includes('stored'));
    await page.waitFor(() => document.getElementById('hex')!.textContent!.startsWith('0000000000'));
    await page.evaluate(() => {
      (document.getElementById('offset') as HTMLInputElement).value = '4096';
      (document.querySelector('#seek button') as HTMLButtonElement).click();
    }, undefined);
    await page.waitFor(() => document.getElementById('hex')!.textContent!.startsWith('0000001000'));
    const text = await page.evaluate(
      (ids: string[]) => ids.map((id) => document.getElementById(id)!.textContent),
      ['hex', 'isolation'],
    );
    expect(text[0]).toContain('0000001000  00 07 0e 15');
    expect(text[1]).toContain('crossOriginIsolated: true');
    await page.waitFor(() => document.getElementById('files')!.textContent!.includes('sample.bin'));
    expect(await page.evaluate(() => document.getElementById('files')!.textContent, undefined)).toContain('sample.bin293.0 KiB');
    if (page.screenshot) {
      mkdirSync(`${root}/test-results`, { recursive: true });
      await page.screenshot(`${root}/test-results/demo-${driver.engine}.png`);
    }
  } finally {
    await page.close();
  }
}
