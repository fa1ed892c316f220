import type { Mapping, MockPageProvider, PageProvider } from '@mems/os';

/** A page provider that forwards to a mock and keeps a log of the mappings it handed out and took back. */
export interface RecordingProvider {
  /** The provider to give to MeMS. */
  readonly provider: PageProvider;
  /** The mock underneath (accounting, fault injection). */
  readonly mock: MockPageProvider;
  /** Every mapping `map` returned, in order. */
  readonly maps: Mapping[];
  /** For each successful `unmap`, the index of its mapping in {@link maps} (-1 for a stranger). */
  readonly unmaps: number[];
  /** How many times MeMS called `map`, refused calls included. */
  readonly mapCalls: number;
}

/**
 * Wraps a mock provider so that a test can see every mapping MeMS obtained and returned: the
 * differential runner uses it to learn physical addresses and to check which nodes `trim` and
 * `mems_finish` unmapped.
 * @param mock the provider that does the work.
 * @returns the wrapper and its logs.
 */
export function recordingProvider(mock: MockPageProvider): RecordingProvider {
  const maps: Mapping[] = [];
  const unmaps: number[] = [];
  let mapCalls = 0;
  const provider: PageProvider = {
    get name() {
      return mock.name;
    },
    get pageSize() {
      return mock.pageSize;
    },
    get maxMappingBytes() {
      return mock.maxMappingBytes;
    },
    get mappedBytes() {
      return mock.mappedBytes;
    },
    get mappingCount() {
      return mock.mappingCount;
    },
    map(byteLength) {
      mapCalls++;
      const mapping = mock.map(byteLength);
      maps.push(mapping);
      return mapping;
    },
    unmap(mapping) {
      mock.unmap(mapping);
      unmaps.push(maps.indexOf(mapping));
    },
  };
  return {
    provider,
    mock,
    maps,
    unmaps,
    get mapCalls() {
      return mapCalls;
    },
  };
}
