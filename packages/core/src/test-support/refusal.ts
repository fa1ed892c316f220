// How the tests read a refusal: the error a call throws as one comparable string.

import { isMemsError } from '@mems/os';

/**
 * The error `call` throws, as `CODE: message` for a MemsError.
 * @param call the call to make.
 * @returns `CODE: message`, `not a MemsError: …` for any other error, or `no error`.
 */
export function refusalOf(call: () => unknown): string {
  try {
    call();
    return 'no error';
  } catch (error) {
    return isMemsError(error) ? `${error.code}: ${error.message}` : `not a MemsError: ${String(error)}`;
  }
}
