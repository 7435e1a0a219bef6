/**
 * What an output stream of a parted upload (S3's multipart upload, Azure's staged blocks)
 * asks of the upload behind it, and what resumable streams of every store do with it: give
 * the resume token, and suspend.
 * @module
 */
import { UnsupportedOperationError } from '../../errors.js';
import { SUSPEND, type PartedUploadControl } from '../../remote/part-upload.js';

/** A parted upload's side that its output stream drives. */
export interface UploadControl {
  /** The current resume token (resumable uploads), else `undefined`. */
  token(): string | undefined;
  /** The bytes durable: the parts done from the first on. */
  durable(): number;
  /** Stops sending at once, cancelling the parts in flight (to suspend a resumable upload). */
  cancel(): void;
}

/** The control of a parted upload whose resume tokens `token` makes from its whole parts' ids. */
export function uploadControl(
  parted: PartedUploadControl,
  token: (parts: readonly string[]) => string | undefined,
): UploadControl {
  return { token: () => token(parted.wholeIds()), durable: () => parted.durableBytes(), cancel: () => parted.cancel() };
}

/** The resume token of the upload `control` drives. @throws UnsupportedOperationError if it is not resumable. */
export function resumeTokenOf(control: UploadControl | undefined, path: string): string {
  const token = control?.token();
  if (token === undefined) throw new UnsupportedOperationError(`${path} was not opened with { resumable: true }`);
  return token;
}

/**
 * Suspends a resumable upload: its parts in flight are cancelled at once (not after the
 * writes queued before them, which wait for those parts), then the stream is aborted as a
 * suspension, which keeps what the store holds. Returns the token to resume from.
 * @throws UnsupportedOperationError if the upload is not resumable.
 */
export async function suspendUpload(
  control: UploadControl | undefined,
  path: string,
  abort: (reason: unknown) => Promise<void>,
): Promise<string> {
  const token = resumeTokenOf(control, path);
  control!.cancel();
  await abort(SUSPEND);
  return control!.token() ?? token;
}
