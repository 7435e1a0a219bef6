/**
 * WebHDFS errors: a JSON body `{"RemoteException": {"exception", "javaClassName",
 * "message"}}` naming the Java exception the NameNode or DataNode threw, mapped to
 * nativefile's errors.
 * @module
 */
import { FileNotFoundError, IOError, UnsupportedOperationError } from '../../errors.js';
import { statusError } from '../../remote/http-errors.js';
import { redactSecrets } from '../../remote/redact.js';

const CODES: Record<string, string> = {
  AccessControlException: 'EACCES',
  AuthorizationException: 'EACCES',
  SecurityException: 'EACCES',
  InvalidToken: 'EACCES',
  FileAlreadyExistsException: 'EEXIST',
  AlreadyBeingCreatedException: 'EBUSY',
  PathIsNotEmptyDirectoryException: 'ENOTEMPTY',
  ParentNotDirectoryException: 'ENOTDIR',
  PathIsNotDirectoryException: 'ENOTDIR',
  IllegalArgumentException: 'EINVAL',
  NSQuotaExceededException: 'EDQUOT',
  DSQuotaExceededException: 'EDQUOT',
  SafeModeException: 'EAGAIN',
  StandbyException: 'EAGAIN',
  RetriableException: 'EAGAIN',
};

/** The error a WebHDFS answer describes (its RemoteException, or else its status). */
export function remoteException(status: number, statusText: string, name: string, body: string): IOError {
  let exception: { exception?: unknown; message?: unknown } | undefined;
  try {
    exception = (JSON.parse(body) as { RemoteException?: { exception?: unknown; message?: unknown } }).RemoteException;
  } catch {
    exception = undefined;
  }
  // Error pages of the NameNode, the DataNodes or a proxy may quote the URL, delegation token and all.
  if (exception === undefined || typeof exception.exception !== 'string')
    return statusError(status, statusText, name, redactSecrets(body).slice(0, 300));
  const detail = typeof exception.message === 'string' ? redactSecrets(exception.message) : '';
  const message = `${exception.exception}: ${detail} (HTTP ${status}, ${name})`;
  if (exception.exception === 'FileNotFoundException') return new FileNotFoundError(message);
  if (exception.exception === 'UnsupportedOperationException') return new UnsupportedOperationError(message);
  return new IOError(message, { code: CODES[exception.exception] ?? 'EREMOTE' });
}

/** The error of a failed WebHDFS response, read from its body. */
export async function remoteExceptionOf(response: Response, name: string): Promise<IOError> {
  const body = await response.text().catch(() => '');
  return remoteException(response.status, response.statusText, name, body);
}
