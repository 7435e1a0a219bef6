/** toWritableStream over an OSFile: a chunk that is not bytes must not leave the descriptor open. */
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { OSFile, toWritableStream } from '../../src/node.js';
import { encode, tempFiles } from '../helpers.js';

const { fresh } = tempFiles('writable-os');
const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe('toWritableStream over an OSFile', () => {
  test('a chunk that is not bytes aborts the file and closes its descriptor', async () => {
    const before = openDescriptors();
    const file = new OSFile(fresh(), 'w');
    expect(openDescriptors()).toBe(before + 1);
    const writer = toWritableStream(file).getWriter();
    await writer.write(encode('ok'));
    await expect(writer.write('text' as never)).rejects.toThrow(/got "text"/);
    await expect(writer.closed).rejects.toThrow(TypeError);
    expect(file.closed).toBe(true);
    expect(openDescriptors()).toBe(before);
  });
});
