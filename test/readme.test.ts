/** The README's usage example runs as written (with the package name pointed at the sources). */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

test('the README usage example runs', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const usage = readme.split('## Usage')[1]!.split('```ts')[1]!.split('```')[0]!;
  const source = usage.replace("from 'nativefile'", "from '../src/index.js'");
  const path = fileURLToPath(new URL('./readme-usage.generated.ts', import.meta.url));
  writeFileSync(path, `${source}\nexport const ran = true;\n`);
  const lines: unknown[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(' '));
  try {
    const module = await import(/* @vite-ignore */ path);
    expect(module.ran).toBe(true);
  } finally {
    console.log = log;
  }
  expect(lines).toContain('24 bytes');
  expect(lines.length).toBeGreaterThanOrEqual(3);
});
