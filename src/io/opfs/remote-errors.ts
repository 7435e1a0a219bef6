import { transferHandlers } from 'comlink';
import { ClosedFileError, FileNotFoundError, IOError, OutOfMemoryError, UnsupportedOperationError } from '../../errors.js';

interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

const classes: Record<string, new (message: string, options: { code?: string }) => Error> = {
  IOError, ClosedFileError, UnsupportedOperationError, OutOfMemoryError, TypeError, RangeError,
  // Its code is always ENOENT, so it ignores the one passed.
  FileNotFoundError: FileNotFoundError as new (message: string, options: { code?: string }) => Error,
};

/**
 * Makes errors thrown in the IO worker arrive on the other side as the same nativefile
 * classes with the same `code` (comlink's own handler keeps only name and message).
 */
export function installRemoteErrors(): void {
  const original = transferHandlers.get('throw')!;
  transferHandlers.set('throw', {
    canHandle: original.canHandle,
    serialize({ value }: { value: unknown }) {
      const error = value as Partial<SerializedError>;
      const serialized: SerializedError = {
        name: String(error?.name ?? 'Error'),
        message: String(error?.message ?? value),
        ...(typeof error?.code === 'string' ? { code: error.code } : {}),
      };
      return [serialized, []];
    },
    deserialize(wire: SerializedError | { isError: boolean; value: SerializedError }) {
      // A peer without this handler sends comlink's own shape.
      const serialized = 'value' in wire ? wire.value : wire;
      const Class = classes[serialized.name];
      throw Class ? new Class(serialized.message, { code: serialized.code }) : Object.assign(new Error(serialized.message), { name: serialized.name });
    },
  } as typeof original);
}
