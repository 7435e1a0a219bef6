/**
 * URLs as messages may show them: a presigned URL's query carries its signature
 * (`X-Amz-Signature`, Azure's SAS `sig`), and `user:password@` its credentials, which must
 * not reach logs and error reports. As the AWS and Azure SDKs do, what could be a secret is
 * replaced; the rest (scheme, host, path, parameter names) stays, to say which file it was.
 * @module
 */

/** What stands in for a hidden value. */
export const REDACTED = 'REDACTED';

/**
 * `url` with every query value and any user information replaced by `REDACTED`
 * (`https://h/k?X-Amz-Signature=REDACTED&x-id=REDACTED`). Text that is not an absolute URL
 * is returned with the same treatment of anything after a `?`.
 */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  let head = query < 0 ? url : url.slice(0, query);
  // user:password@ (or a bare token@) before the host.
  head = head.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${REDACTED}@`);
  if (query < 0) return head;
  const hash = url.indexOf('#', query);
  const search = url.slice(query + 1, hash < 0 ? undefined : hash);
  const redacted = search
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals < 0 ? pair : `${pair.slice(0, equals)}=${REDACTED}`;
    })
    .join('&');
  return `${head}?${redacted}`;
}

/** Elements of S3's error documents that echo what was signed (`SignatureDoesNotMatch`). */
const ECHOED = /<(SignatureProvided|StringToSign|StringToSignBytes|CanonicalRequest|CanonicalRequestBytes)>[^<]*<\/\1>/g;

/** Query parameters that carry credentials (a WebHDFS `delegation` token too), wherever they stand in a text. */
const CREDENTIAL_PARAMETERS =
  /\b(X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|sig|signature|token|delegation)=[^&\s<>"']+/gi;

/** Headers that carry credentials, as a server quoting a request writes them: the value runs to the end of the line. */
const CREDENTIAL_HEADERS = /\b(authorization|proxy-authorization|x-amz-security-token)(\s*[:=]\s*)[^\r\n<>"]*/gi;

/**
 * `text` (a server's error body, say) with what could be a secret replaced: URLs as
 * {@link redactUrl} does, credential parameters and headers (`Authorization: …`), and the
 * parts of an S3 error document that echo the request's signature.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url))
    .replace(ECHOED, (_, element: string) => `<${element}>${REDACTED}</${element}>`)
    .replace(CREDENTIAL_HEADERS, (_, name: string, separator: string) => `${name}${separator}${REDACTED}`)
    .replace(CREDENTIAL_PARAMETERS, (_, name: string) => `${name}=${REDACTED}`);
}
