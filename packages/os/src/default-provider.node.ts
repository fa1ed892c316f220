import { warnMockFallback } from './default-provider.js';
import { errorMessage } from './errors.js';
import { createMmapProvider } from './mmap-provider.js';
import { createMockProvider } from './mock-provider.js';
import type { PageProvider } from './page-provider.js';

/**
 * The page provider to use when the caller names none, in Node: the mmap provider (`name`
 * `'mmap'`) when koffi loads and this platform has page calls (Linux, macOS, Windows), else a
 * fresh mock provider (`name` `'mock'`). The fallback is never silent: the first one in a
 * process emits a `process.emitWarning` (type `'MemsWarning'`, code `'MEMS_MOCK_FALLBACK'`)
 * with the reason and how to choose a provider explicitly. Check `provider.name` to see which
 * you got. koffi is loaded by this call, not by importing `@mems/os`.
 * @returns a new provider with nothing mapped.
 * @throws nothing: any failure to create the mmap provider selects the mock.
 */
export function createDefaultProvider(): PageProvider {
  return createPreferredProvider(createMmapProvider);
}

/**
 * Creates the preferred provider, or the mock when that throws (warning once per process, see
 * {@link createDefaultProvider}). Exposed for tests only (not exported from the package).
 * @param preferred a factory that may throw.
 * @returns what `preferred` returns, or a new mock provider when it throws.
 */
export function createPreferredProvider(preferred: () => PageProvider): PageProvider {
  try {
    return preferred();
  } catch (error) {
    const reason = errorMessage(error);
    warnMockFallback(`the mmap provider cannot be created: ${reason.replace(/\.$/, '')}`);
    return createMockProvider();
  }
}
