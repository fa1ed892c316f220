import { createRequire } from 'node:module';
import { errorMessage, MemsError } from './errors.js';

/** The koffi module's type (koffi 3). */
export type Koffi = typeof import('koffi');

let koffi: Koffi | undefined;

/**
 * Loads koffi on first use and returns the same module afterwards. This is the only place that
 * loads koffi, and it runs only when called: importing `@mems/os` (or `@mems/os/mmap`) never
 * loads the native addon. `createRequire(import.meta.url)` works in both builds (tsup shims
 * `import.meta.url` in the CommonJS one).
 * @param call the call to name in the error message, for example `'createMmapProvider'`.
 * @returns the koffi module.
 * @throws MemsError `ENOMEM` (the original error as `cause`) when koffi is missing or has no
 *   binary for this platform: without it no native pages can be provided.
 */
export function loadKoffi(call: string): Koffi {
  if (koffi === undefined) {
    try {
      koffi = createRequire(import.meta.url)('koffi') as Koffi;
    } catch (cause) {
      const reason = errorMessage(cause);
      throw new MemsError(
        'ENOMEM',
        `${call}(): koffi cannot be loaded on ${process.platform}/${process.arch}: ${reason}`,
        { cause },
      );
    }
  }
  return koffi;
}
