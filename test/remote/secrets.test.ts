// A presigned URL's signature (or an Azure SAS `sig`) must never reach an error message, a
// file's name or its string form: the remote failure cases run with a known secret in the URL.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFile } from '../../src/remote/http-file.js';
import { redactSecrets, redactUrl } from '../../src/remote/redact.js';
import type { FetchLike } from '../../src/remote/transport.js';
import { randomBytes } from '../helpers.js';
import { startFaultProxy, type FaultProxy } from '../servers/fault-proxy.js';
import { freePort } from '../servers/ports.js';
import { hasNginx, startNginx, type NginxServer } from '../servers/nginx.js';

const SECRET = 'sEcReT0123456789abcdef';
const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F${SECRET}&X-Amz-Signature=${SECRET}&sig=${SECRET}`;

/** Every text an error carries: message, stack, string form, and its causes'. */
function texts(error: unknown, seen = new Set<unknown>()): string[] {
  if (error === undefined || error === null || seen.has(error)) return [];
  seen.add(error);
  if (!(error instanceof Error)) return [String(error)];
  return [error.message, String(error), error.stack ?? '', ...texts(error.cause, seen)];
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('it should have failed'),
    (error: unknown) => error,
  );
}

function expectNoSecret(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  for (const text of texts(error)) expect(text).not.toContain(SECRET);
}

describe('secrets stay out of messages', () => {
  it('redactUrl hides every query value and user information, and keeps the rest', () => {
    expect(redactUrl(`https://user:${SECRET}@bucket.example/dir/a.bin?${query}#frag`)).toBe(
      'https://REDACTED@bucket.example/dir/a.bin?X-Amz-Algorithm=REDACTED&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&sig=REDACTED',
    );
    expect(redactUrl('https://h/a.bin?uploads')).toBe('https://h/a.bin?uploads');
    expect(redactUrl('https://h/a.bin')).toBe('https://h/a.bin');
  });

  it('redactSecrets hides URLs, credential parameters and the signature an S3 error document echoes', () => {
    const body = `<Error><Code>SignatureDoesNotMatch</Code><SignatureProvided>${SECRET}</SignatureProvided><StringToSign>AWS4 ${SECRET}</StringToSign><Resource>https://h/k?X-Amz-Signature=${SECRET}</Resource></Error> sig=${SECRET}`;
    const redacted = redactSecrets(body);
    expect(redacted).not.toContain(SECRET);
    expect(redacted).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe.skipIf(!hasNginx)('HttpFile with a secret in its URL', () => {
  let server: NginxServer;
  let proxy: FaultProxy;
  const data = randomBytes(2 * 1024 * 1024, 3);
  beforeAll(async () => {
    server = await startNginx();
    writeFileSync(join(server.root, 'data.bin'), data);
    writeFileSync(join(server.root, 'norange-large.bin'), data);
    proxy = await startFaultProxy(server.url);
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });

  it('names the file without the secret: url, toString and JSON', async () => {
    await using file = await HttpFile.open(`${server.url}data.bin?${query}`);
    expect(file.url).toBe(`${server.url}data.bin?${query.replace(/=[^&]*/g, '=REDACTED')}`);
    expect(String(file)).not.toContain(SECRET);
    expect(JSON.stringify(file)).not.toContain(SECRET);
  });

  it('keeps the secret out of every failure: 404, 403 with an echoing body, network errors, ESTALE, ENOTSUP, cut bodies', async () => {
    const fast = { retries: 1, baseDelay: 1 };
    expectNoSecret(await failure(HttpFile.open(`${server.url}missing.bin?${query}`, { retry: fast })));

    const echoing: FetchLike = async (input) =>
      new Response(
        `<Error><Code>SignatureDoesNotMatch</Code><SignatureProvided>${SECRET}</SignatureProvided><Url>${String(input)}</Url></Error>`,
        { status: 403 },
      );
    expectNoSecret(await failure(HttpFile.open(`${server.url}data.bin?${query}`, { fetch: echoing, retry: fast })));

    const closed = `http://127.0.0.1:${await freePort()}/data.bin?${query}`;
    expectNoSecret(await failure(HttpFile.open(closed, { retry: fast })));

    expectNoSecret(await failure(HttpFile.open(`${server.url}norange/x.bin?${query}`, { retry: fast })));

    const file = await HttpFile.open(`${server.url}data.bin?${query}`, { retry: fast, readAhead: 0 });
    writeFileSync(join(server.root, 'data.bin'), randomBytes(1000, 4));
    const stale = await failure(file.readAt(0, 10));
    expect(stale).toMatchObject({ code: 'ESTALE' });
    expectNoSecret(stale);
    await file.close();
    writeFileSync(join(server.root, 'data.bin'), data);

    const cut = await HttpFile.open(`${proxy.url}data.bin?${query}`, { retry: fast, readAhead: 0 });
    proxy.plan = () => ({ kind: 'cut', after: 0 });
    expectNoSecret(await failure(cut.readAt(0, 1_000_000)));
    proxy.plan = () => ({ kind: 'status', status: 503 });
    expectNoSecret(await failure(cut.readAt(0, 1_000_000)));
    proxy.plan = () => ({ kind: 'pass' });
    await cut.close();
  });
});
