/**
 * Azure Storage's errors (`x-ms-error-code`, and `<Error><Code>…` bodies) as nativefile
 * errors. Only the code and the first line of the message are shown: an authentication
 * failure's `AuthenticationErrorDetail` repeats the request's signature.
 * @module
 */
import { FileNotFoundError, IOError } from '../../errors.js';
import { statusError } from '../../remote/http-errors.js';
import { redactSecrets } from '../../remote/redact.js';
import { xmlValue } from '../../remote/xml.js';

const NOT_FOUND = new Set(['BlobNotFound', 'ContainerNotFound', 'ResourceNotFound']);
const DENIED = new Set([
  'AuthenticationFailed',
  'AuthorizationFailure',
  'AuthorizationPermissionMismatch',
  'AuthorizationResourceTypeMismatch',
  'AuthorizationServiceMismatch',
  'AuthorizationSourceIPMismatch',
  'AuthorizationProtocolMismatch',
  'InsufficientAccountPermissions',
  'AccountIsDisabled',
  'NoAuthenticationInformation',
]);
const CHANGED = new Set(['ConditionNotMet', 'TargetConditionNotMet', 'SourceConditionNotMet', 'AppendPositionConditionNotMet']);
const EXISTS = new Set(['ContainerAlreadyExists', 'BlobAlreadyExists']);
const INVALID = new Set([
  'InvalidResourceName',
  'InvalidQueryParameterValue',
  'InvalidHeaderValue',
  'InvalidBlobType',
  'InvalidBlockId',
  'InvalidBlockList',
  'InvalidBlobOrBlock',
  'OutOfRangeInput',
]);

/** The error an Azure error code (or, without one, the status) describes. */
export function azureError(status: number, statusText: string, name: string, code: string | undefined, message = ''): IOError {
  if (code === undefined || code === '') return statusError(status, statusText, name);
  const text = `${code}: ${redactSecrets(message.split('\n')[0]!.trim()) || statusText} (HTTP ${status}, ${name})`;
  if (NOT_FOUND.has(code)) return new FileNotFoundError(text);
  if (DENIED.has(code)) return new IOError(text, { code: 'EACCES' });
  if (CHANGED.has(code)) return new IOError(`the blob changed since it was opened: ${text}`, { code: 'ESTALE' });
  if (EXISTS.has(code)) return new IOError(text, { code: 'EEXIST' });
  if (code === 'InvalidRange') return new IOError(text, { code: 'ERANGE' });
  if (code === 'ContainerBeingDeleted' || code === 'LeaseIdMissing' || code === 'LeaseAlreadyPresent')
    return new IOError(text, { code: 'EBUSY' });
  if (INVALID.has(code)) return new IOError(text, { code: 'EINVAL' });
  return new IOError(text, { code: 'EREMOTE' });
}

/** The error of a failed Azure response: the code from its header or body. */
export async function azureResponseError(response: Response, name: string): Promise<IOError> {
  const body = await response.text().catch(() => '');
  const code = response.headers.get('x-ms-error-code') ?? xmlValue(body, 'Code');
  return azureError(response.status, response.statusText, name, code ?? undefined, xmlValue(body, 'Message'));
}
