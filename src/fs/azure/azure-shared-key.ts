/**
 * Azure Storage's Shared Key authorization, written once: `AzureFileSystem` signs with it
 * when given an account key, and an app's server can sign a page's requests with the same
 * function ({@link azureSharedKeySigner}), so the key never reaches the page. HMAC-SHA256
 * comes from Web Crypto, which Node 20 and every browser have.
 * @module
 */
import type { RequestSigner, RequestToSign, SignedRequest } from '../../remote/signer.js';

/** The standard headers of the string to sign, in its order (each line empty when absent). */
const STANDARD_HEADERS = [
  'content-encoding',
  'content-language',
  'content-length',
  'content-md5',
  'content-type',
  'date',
  'if-modified-since',
  'if-match',
  'if-none-match',
  'if-unmodified-since',
  'range',
] as const;

/**
 * The string Shared Key signs for a Blob service request (version 2015-02-21 and later):
 * the verb, the standard headers, the `x-ms-*` headers sorted, then the account and the
 * URL's path with its query parameters, sorted, their values decoded.
 */
export function sharedKeyStringToSign(accountName: string, request: RequestToSign): string {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const standard = STANDARD_HEADERS.map((name) => {
    const value = headers[name] ?? '';
    // A zero Content-Length is signed as an empty line.
    return name === 'content-length' && value === '0' ? '' : value;
  });
  const canonicalHeaders = Object.keys(headers)
    .filter((name) => name.startsWith('x-ms-'))
    .sort()
    .map((name) => `${name}:${headers[name]!.replace(/\s+/g, ' ').trim()}\n`)
    .join('');
  const url = new URL(request.url);
  let resource = `/${accountName}${url.pathname === '' ? '/' : url.pathname}`;
  const parameters = new Map<string, string[]>();
  for (const pair of url.search.slice(1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeURIComponent(equals < 0 ? pair : pair.slice(0, equals)).toLowerCase();
    const value = equals < 0 ? '' : decodeURIComponent(pair.slice(equals + 1));
    parameters.set(name, [...(parameters.get(name) ?? []), value]);
  }
  for (const name of [...parameters.keys()].sort()) resource += `\n${name}:${parameters.get(name)!.sort().join(',')}`;
  return `${request.method.toUpperCase()}\n${standard.join('\n')}\n${canonicalHeaders}${resource}`;
}

/** Bytes of a base64 text. */
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Base64 of bytes. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * A {@link RequestSigner} that signs with an account key (Shared Key). Give it to
 * `AzureFileSystem({ signer })` only where the key may be (Node, a server); in a page, give
 * the page a signer that asks your server, which runs this one (see the README's
 * "No secrets in the page").
 * @param accountName the storage account.
 * @param accountKey the account's key, base64 as the portal shows it.
 * @throws TypeError when the key is not base64 (the message does not show it).
 */
export function azureSharedKeySigner(accountName: string, accountKey: string): RequestSigner {
  if (typeof accountName !== 'string' || accountName === '') throw new TypeError('accountName must be a non-empty string');
  let keyBytes: Uint8Array<ArrayBuffer>;
  try {
    if (typeof accountKey !== 'string' || accountKey === '') throw new TypeError('empty');
    keyBytes = fromBase64(accountKey);
  } catch {
    throw new TypeError(`accountKey of ${accountName} must be the account key in base64 (its value is not shown)`);
  }
  const key = crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return async (request: RequestToSign): Promise<SignedRequest> => {
    const text = new TextEncoder().encode(sharedKeyStringToSign(accountName, request));
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key, text));
    return { url: request.url, headers: { authorization: `SharedKey ${accountName}:${toBase64(mac)}` } };
  };
}
