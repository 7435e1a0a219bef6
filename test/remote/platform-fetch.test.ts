/**
 * The default fetch of the stores in Node: a Blob body goes out through node:http, streamed,
 * and the answer, failures and aborts look as fetch's do (src/remote/platform-fetch.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import * as http from 'node:http';
import * as stream from 'node:stream';
import { sendBlob } from '../../src/remote/node-blob-request.js';
import { platformFetch } from '../../src/remote/platform-fetch.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server on 127.0.0.1 answering each request with `handle`; its base URL. */
async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  server = createServer(handle);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`;
}

/** The whole body of `request`. */
async function bodyOf(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of request) chunks.push(chunk as Uint8Array);
  return new Uint8Array(Buffer.concat(chunks));
}

/** `n` bytes of a pattern that repeats every 251. */
function bytes(n: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = (i * 7) % 251;
  return data;
}

describe('platformFetch with a Blob body, in Node', () => {
  test('sends the Blob whole with its length and the caller headers, and answers as fetch does', async () => {
    const seen: { method?: string; length?: string; header?: string; body?: Uint8Array } = {};
    const url = await serve(async (request, response) => {
      seen.method = request.method;
      seen.length = request.headers['content-length'];
      seen.header = request.headers['x-amz-test'] as string;
      seen.body = await bodyOf(request);
      response.setHeader('etag', '"abc"');
      response.setHeader('x-twice', ['one', 'two']);
      response.writeHead(200, 'Fine').end('answered');
    });
    const data = bytes(3 * 1024 * 1024 + 5);
    const blob = new Blob([data]).slice(5);
    const response = await platformFetch(url, { method: 'PUT', body: blob, headers: { 'x-amz-test': 'yes' } });
    const { body, ...rest } = seen;
    expect(rest).toEqual({ method: 'PUT', length: String(data.length - 5), header: 'yes' });
    expect(Buffer.compare(body!, data.subarray(5))).toBe(0);
    expect([response.status, response.ok, response.statusText]).toEqual([200, true, 'Fine']);
    expect(response.headers.get('etag')).toBe('"abc"');
    expect(response.headers.get('x-twice')).toBe('one, two');
    expect(await response.text()).toBe('answered');
  });

  test('follows no redirect and gives a 204 no body', async () => {
    let requests = 0;
    const url = await serve(async (request, response) => {
      requests++;
      await bodyOf(request);
      if (request.url === '/moved') response.writeHead(307, { location: '/elsewhere' }).end();
      else response.writeHead(204).end();
    });
    const moved = await platformFetch(`${url}moved`, { method: 'PUT', body: new Blob(['x']), redirect: 'manual' });
    expect([moved.status, moved.headers.get('location'), requests]).toEqual([307, '/elsewhere', 1]);
    const empty = await platformFetch(url, { method: 'PUT', body: new Blob(['x']) });
    expect([empty.status, empty.body]).toEqual([204, null]);
  });

  test('a refused connection rejects with TypeError, its cause naming the failure', async () => {
    const url = await serve(() => {});
    const { port } = server!.address() as AddressInfo;
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const failure = await platformFetch(url, { method: 'PUT', body: new Blob(['x']) }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED', port });
  });

  test('an abort while sending rejects with the signal reason and ends the request', async () => {
    let received = 0;
    let ended: (outcome: string) => void = () => {};
    const outcome = new Promise<string>((resolve) => (ended = resolve));
    const controller = new AbortController();
    const url = await serve((request) => {
      request.on('data', (chunk: Uint8Array) => {
        received += chunk.byteLength;
        if (received > 1024 * 1024) controller.abort(new Error('stop now'));
      });
      request.on('end', () => ended('end'));
      request.on('close', () => ended('close'));
    });
    const sent = platformFetch(url, { method: 'PUT', body: new Blob([bytes(64 * 1024 * 1024)]), signal: controller.signal });
    await expect(sent).rejects.toThrow('stop now');
    expect(await outcome).toBe('close');
    expect(received).toBeLessThan(64 * 1024 * 1024);
  });

  test('an abort while the answer is read errors its body with the signal reason', async () => {
    const controller = new AbortController();
    const url = await serve(async (request, response) => {
      await bodyOf(request);
      response.writeHead(200);
      response.write('first part');
    });
    const response = await platformFetch(url, { method: 'PUT', body: new Blob(['x']), signal: controller.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first part');
    const reason = new Error('enough');
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
  });

  test('other bodies, and a signal aborted before the start, behave as fetch', async () => {
    const url = await serve(async (request, response) => response.end(`got ${(await bodyOf(request)).length}`));
    expect(await (await platformFetch(url, { method: 'PUT', body: 'four' })).text()).toBe('got 4');
    const reason = new Error('before');
    await expect(platformFetch(url, { method: 'PUT', body: new Blob(['x']), signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
  });

  test('a server that takes the body and never answers fails the request, as fetch after its timeout', async () => {
    const url = await serve((request) => void bodyOf(request));
    const timeouts = { connect: 1000, idle: 300 };
    const failure = await sendBlob(http, stream, new URL(url), { method: 'PUT' }, new Blob(['x']), timeouts).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect(String((failure as TypeError).cause)).toMatch(/no sign of life from the server for 300 ms/);
  });

  test('headers of the connection come from the request itself, not from the caller', async () => {
    const seen: Record<string, string | undefined> = {};
    const url = await serve(async (request, response) => {
      await bodyOf(request);
      Object.assign(seen, {
        host: request.headers.host,
        length: request.headers['content-length'],
        expect: request.headers.expect,
      });
      response.end();
    });
    const headers = { host: 'elsewhere.example', 'content-length': '999', expect: '100-continue' };
    await platformFetch(url, { method: 'PUT', body: new Blob(['four']), headers });
    expect(seen).toEqual({ host: new URL(url).host, length: '4', expect: undefined });
  });
});
