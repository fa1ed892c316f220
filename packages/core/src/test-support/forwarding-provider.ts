import type { MockPageProvider, PageProvider } from '@mems/os';

/**
 * A page provider that reports `mock`'s page size, limits and accounting but maps and unmaps
 * through `calls`: a test's wrapper around a mock provider (hooks that call back into the heap,
 * mappings exposed to the test or altered).
 * @param mock the mock provider doing the work.
 * @param calls the wrapper's `map` and `unmap` (plain functions: no `this`).
 * @returns the provider, named as the mock is.
 */
export function forwardingProvider(
  mock: MockPageProvider,
  calls: Pick<PageProvider, 'map' | 'unmap'>,
): PageProvider {
  return {
    name: mock.name,
    pageSize: mock.pageSize,
    maxMappingBytes: mock.maxMappingBytes,
    get mappedBytes() {
      return mock.mappedBytes;
    },
    get mappingCount() {
      return mock.mappingCount;
    },
    map: calls.map,
    unmap: calls.unmap,
  };
}
