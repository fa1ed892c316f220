import { createMockProvider } from './mock-provider.js';
import type { PageProvider } from './page-provider.js';

/**
 * The page provider to use when the caller names none. This is the browser (and any non-Node)
 * build, which has no native pages: it returns a fresh mock provider with default options
 * (`name` `'mock'`). The Node build of `@mems/os` returns the mmap provider instead where koffi
 * loads.
 * @returns a new provider with nothing mapped.
 * @throws nothing.
 */
export function createDefaultProvider(): PageProvider {
  return createMockProvider();
}
