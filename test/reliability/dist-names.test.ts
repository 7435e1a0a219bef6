/**
 * Names survive the build: errors and classes from the built package (`dist/`, which
 * `npm test` builds first) say what they are, in messages and `instanceof`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const entry = new URL('../../dist/node.js', import.meta.url);

test.runIf(existsSync(fileURLToPath(entry)))('errors and classes from dist keep their names', async () => {
  const nf = (await import(/* @vite-ignore */ entry.href)) as typeof import('../../src/node.js');
  const reader = new nf.BufferReader(new Uint8Array(4));
  await reader.close();
  const error: unknown = await reader.read().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(nf.ClosedFileError);
  expect(error).toBeInstanceOf(nf.IOError);
  expect((error as Error).name).toBe('ClosedFileError');
  expect(String(error)).toMatch(/^ClosedFileError: I\/O operation on closed BufferReader/);
  expect(nf.OSFile.name).toBe('OSFile');
  expect(nf.BufferedInputStream.name).toBe('BufferedInputStream');
  expect(new nf.FileNotFoundError('x').name).toBe('FileNotFoundError');
});
