/**
 * S3's error documents (`<Error><Code>NoSuchKey</Code>…`) as nativefile errors.
 * @module
 */
import { FileNotFoundError, IOError } from '../../errors.js';
import { statusError } from '../../remote/http-errors.js';
import { redactSecrets } from '../../remote/redact.js';
import { xmlValue } from '../../remote/xml.js';

const NOT_FOUND = new Set(['NoSuchKey', 'NoSuchBucket', 'NoSuchUpload', 'NotFound']);
const DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'AllAccessDisabled']);

/** The error an S3 error document (or, without one, the status) describes. */
export function s3Error(status: number, statusText: string, name: string, body: string): IOError {
  const code = xmlValue(body, 'Code');
  if (code === undefined) return statusError(status, statusText, name);
  // A gateway's message may quote the request, its signature or session token included.
  const message = `${code}: ${redactSecrets(xmlValue(body, 'Message') ?? statusText)} (HTTP ${status}, ${name})`;
  if (NOT_FOUND.has(code)) return new FileNotFoundError(message);
  if (DENIED.has(code)) return new IOError(message, { code: 'EACCES' });
  if (code === 'BucketAlreadyOwnedByYou' || code === 'BucketAlreadyExists') return new IOError(message, { code: 'EEXIST' });
  if (code === 'BucketNotEmpty') return new IOError(message, { code: 'ENOTEMPTY' });
  if (code === 'PreconditionFailed') return new IOError(`the object changed since it was opened: ${message}`, { code: 'ESTALE' });
  return new IOError(message, { code: 'EREMOTE' });
}

/** The error of a failed S3 response, read from its body. */
export async function s3ResponseError(response: Response, name: string): Promise<IOError> {
  const body = await response.text().catch(() => '');
  return s3Error(response.status, response.statusText, name, body);
}
