// The identity a resumable upload's record is kept under (src/fs/uploads/resume-hooks.ts): one
// store however its endpoint is spelt, as its client reaches it (trailing slashes dropped), so
// a call with `…/account/` resumes the upload a call with `…/account` left.
import { describe, expect, it } from 'vitest';
import { storeIdentity } from '../../src/fs/uploads/resume-hooks.js';

describe('storeIdentity', () => {
  it('is the same with or without trailing slashes on the endpoint', () => {
    const plain = storeIdentity('azure', 'http://127.0.0.1:10000/devstoreaccount1');
    expect(storeIdentity('azure', 'http://127.0.0.1:10000/devstoreaccount1/')).toBe(plain);
    expect(storeIdentity('azure', 'http://127.0.0.1:10000/devstoreaccount1//')).toBe(plain);
    expect(storeIdentity('s3', 'https://s3.example.com/')).toBe(storeIdentity('s3', 'https://s3.example.com'));
  });

  it('tells stores apart by kind and endpoint', () => {
    expect(storeIdentity('azure', 'http://a.example/x')).not.toBe(storeIdentity('azure', 'http://a.example/y'));
    expect(storeIdentity('s3', 'http://a.example')).not.toBe(storeIdentity('azure', 'http://a.example'));
  });
});
