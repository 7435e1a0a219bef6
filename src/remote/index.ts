/**
 * Remote files: {@link HttpFile} and the machinery shared by every remote backend
 * (retries, range coalescing). Re-exports only.
 * @module
 */
export { HttpFile, DEFAULT_WHOLE_FILE_LIMIT, type HttpFileOptions } from './http-file.js';
export type { Validator } from './http-probe.js';
export { DEFAULT_READ_AHEAD, type RemoteReadOptions } from './remote-reader.js';
export type { RetryOptions } from './retry.js';
export {
  coalesceRanges,
  DEFAULT_HOLE_SIZE_LIMIT,
  DEFAULT_RANGE_SIZE_LIMIT,
  type CoalesceOptions,
  type CoalescedRange,
} from './coalesce.js';
export type { FetchLike } from './transport.js';
export type { RequestSigner, RequestToSign, SignedRequest } from './signer.js';
