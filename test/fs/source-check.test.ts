// The check a resumed upload makes of the parts a store holds against its source
// (src/fs/uploads/source-check.ts): parts are hashed as they are read, in chunks, so a part of
// any size S3 allows (5 GiB) is checked without holding it whole; and a source that cannot be
// read fails the resume with an IOError, never passing for a gone upload or a bad token (which
// would start over silently, leaving the held parts behind).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IOError } from '../../src/errors.js';
import { BufferReader } from '../../src/index.js';
import { openUpload } from '../../src/fs/uploads/resumable-open.js';
import { VERIFY_PARTS, type VerifiedResumeOptions } from '../../src/fs/uploads/resume-hooks.js';
import { sourceCheck } from '../../src/fs/uploads/source-check.js';
import { randomBytes } from '../helpers.js';

const MiB = 1024 * 1024;
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

describe('checking held parts against the source', () => {
  it("checks parts larger than its reads by MD5, and finds an edit in a part's last bytes", async () => {
    const partSize = 20 * MiB; // more than the 8 MiB it reads at a time
    const original = randomBytes(2 * partSize, 7);
    const held = [{ md5: md5(original.subarray(0, partSize)) }, { md5: md5(original.subarray(partSize)) }];
    const same = sourceCheck(new Blob([original as Uint8Array<ArrayBuffer>]), original.byteLength, undefined);
    expect(await same.verify(held, partSize)).toBe(2);
    const edited = original.slice();
    edited[partSize - 1]! ^= 1;
    const changed = sourceCheck(new BufferReader(edited), edited.byteLength, undefined);
    expect(await changed.verify(held, partSize)).toBe(0);
  });

  it('a source that fails while its parts are checked fails the resume, not taken for a bad token', async () => {
    const failing = new BufferReader(new Uint8Array(16 * MiB));
    failing.readAt = () => Promise.reject(new RangeError('Invalid typed array length: 5368709120'));
    const check = sourceCheck(failing, 16 * MiB, undefined);
    let opened = 0;
    const store = {
      async resumeOutputStream(_path: string, _token: string, options: VerifiedResumeOptions) {
        await options[VERIFY_PARTS]!([{ md5: '0'.repeat(32) }], 8 * MiB);
        return { tell: () => 8 * MiB };
      },
      async openOutputStream() {
        opened += 1;
        return { tell: () => 0 };
      },
    };
    const record = { path: 'b/k', fingerprint: { name: '', size: 16 * MiB, sample: '' }, token: 't' };
    await expect(openUpload(store as never, 'b/k', record, check, () => {})).rejects.toBeInstanceOf(IOError);
    expect(opened).toBe(0);
  });
});
