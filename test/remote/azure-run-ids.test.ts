// Which blocks a resumed Azure upload keeps, when more than one run staged blocks of it.
import { describe, expect, it } from 'vitest';
import { FIRST_RUN, heldParts, newRun, parseRunBlockId, runBlockId } from '../../src/fs/azure/azure-run-ids.js';

const upload = '0123456789abcdef01234567';
const MiB = 1024 * 1024;
const held = (...blocks: Array<[string, number, number?]>) =>
  new Map(blocks.map(([run, index, size = MiB]) => [runBlockId(upload, run, index), size]));

describe("a resumable upload's block ids", () => {
  it("the first run's ids are the ones older versions made (the index in 8 digits), 32 characters before base64", () => {
    expect(runBlockId(upload, FIRST_RUN, 42)).toBe(btoa(`${upload}00000042`));
    expect(atob(runBlockId(upload, 'c3f', 49_999))).toHaveLength(32);
    expect(parseRunBlockId(upload, runBlockId(upload, 'c3f', 7))).toEqual({ run: 'c3f', index: 7 });
    expect(parseRunBlockId('f'.repeat(24), runBlockId(upload, 'c3f', 7))).toBeUndefined();
    expect(parseRunBlockId(upload, '%%not base64')).toBeUndefined();
  });

  it("keeps the token's blocks where another run staged the same index, and stops at one the token lists but Azure lacks", () => {
    const listed = [runBlockId(upload, FIRST_RUN, 0), runBlockId(upload, 'a01', 1), runBlockId(upload, 'a01', 2)];
    const { parts, runs } = heldParts(upload, held([FIRST_RUN, 0], [FIRST_RUN, 1], ['a01', 1], ['a01', 3]), MiB, listed);
    expect(parts).toEqual(listed.slice(0, 2));
    expect([...runs].sort()).toEqual([FIRST_RUN, 'a01']);
  });

  it("past the token, keeps the blocks of the run that staged its last one: an earlier run's there are not taken", () => {
    const blocks = held([FIRST_RUN, 0], [FIRST_RUN, 1], [FIRST_RUN, 2], [FIRST_RUN, 3], ['b77', 1], ['b77', 2]);
    const listed = [runBlockId(upload, FIRST_RUN, 0), runBlockId(upload, 'b77', 1)];
    expect(heldParts(upload, blocks, MiB, listed).parts).toEqual([...listed, runBlockId(upload, 'b77', 2)]);
    // A token that lists none: the first run's.
    expect(heldParts(upload, blocks, MiB, []).parts).toEqual([0, 1, 2, 3].map((i) => runBlockId(upload, FIRST_RUN, i)));
    // A short block is not durable, and another upload's blocks are not looked at.
    const others = new Map([[btoa(`${'e'.repeat(24)}00000000`), MiB]]);
    expect(heldParts(upload, new Map([...held([FIRST_RUN, 0, 1000]), ...others]), MiB, []).parts).toEqual([]);
  });

  it("a new run takes a tag no held block has, never the first run's or the abort marker's", () => {
    // Every tag a new run may take but 'fff' is held.
    const taken = new Set(
      Array.from({ length: 6 * 256 - 1 }, (_, i) => `${'abcdef'[i >> 8]}${(i & 255).toString(16).padStart(2, '0')}`),
    );
    for (let i = 0; i < 5; i++) expect(newRun(taken)).toBe('fff');
    for (let i = 0; i < 200; i++) expect(newRun(new Set())).toMatch(/^[a-f][0-9a-f]{2}$/);
    expect(() => newRun(new Set([...taken, 'fff']))).toThrow(expect.objectContaining({ code: 'EBUSY' }));
  });
});
