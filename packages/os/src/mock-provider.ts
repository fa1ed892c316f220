import { describeValue, MEMS_ERROR_CODES, MemsError, type MemsErrorCode } from './errors.js';
import type { Mapping, PageProvider } from './page-provider.js';
import { checkUnmapTarget, describeMapping, ProviderMapping } from './provider-mapping.js';
import { readProviderName } from './provider-options.js';
import { isPowerOfTwo, MAX_MAPPING_BYTES, validateByteLength } from './validate-byte-length.js';

/** The page size a mock provider uses unless told otherwise. */
export const DEFAULT_MOCK_PAGE_SIZE = 4096;

/** The largest page size a mock provider accepts: 1 GiB. */
export const MAX_MOCK_PAGE_SIZE: number = 2 ** 30;

/** Where an ascending mock provider puts its first mapping. */
const ASCENDING_START = 0x1000_0000n;
/** Where a descending mock provider ends its first mapping (mimics Linux's top-down mmap). */
const DESCENDING_START = 0x7f00_0000_0000n;

/**
 * A failure the mock provider will produce on a later call, for testing how consumers cope.
 * - `kind: 'error'` (the default): the call throws `MemsError` with `code` and changes nothing.
 * - `kind: 'short-buffer'` (map only): the call succeeds and is accounted as usual, but the
 *   mapping's `buffer` is `shortBy` bytes shorter than its `byteLength`, so that a consumer's
 *   check `mapping.buffer.byteLength === mapping.byteLength` can be tested.
 */
export interface MockFault {
  /** The operation that fails. */
  op: 'map' | 'unmap';
  /**
   * Which call of `op` fails, 1-based, counted from the moment the fault is injected. Only
   * calls whose argument passes the provider's checks count (a call rejected with `EINVAL` or
   * `EFAULT` never reaches the "OS", so it does not). Default 1: the very next call.
   */
  nth?: number;
  /** What happens: `'error'` (default) or `'short-buffer'` (map only). */
  kind?: 'error' | 'short-buffer';
  /** For `kind: 'error'`: the code thrown. Default `'ENOMEM'`. */
  code?: MemsErrorCode;
  /**
   * For `kind: 'short-buffer'`: how many bytes the buffer lacks, a positive integer. Default
   * one page. Clamped to the mapping's byteLength (a one-page mapping may get an empty buffer).
   */
  shortBy?: number;
}

/** Options of {@link createMockProvider}. */
export interface MockProviderOptions {
  /** The provider's `name` (also the prefix of its error messages). Default `'mock'`. */
  name?: string;
  /** The page size: a power of two from 1 to 2^30. Default 4096. */
  pageSize?: number;
  /**
   * The most bytes that may be mapped at once; a `map` that would go past it throws
   * `MemsError` `ENOMEM`. A non-negative integer or `Infinity` (the default).
   */
  maxBytes?: number;
  /**
   * The largest single mapping; a larger `map` throws `MemsError` `EINVAL`. A positive integer
   * of at least one page. Default 2^32 (4 GiB), the same limit as the mmap provider.
   */
  maxMappingBytes?: number;
  /**
   * The order of the fake addresses: `'ascending'` (default; the first mapping is at
   * 0x10000000) or `'descending'` (like Linux's top-down mmap; the first mapping ends at
   * 0x7f0000000000). Either way consecutive mappings are separated by a one-page gap and
   * addresses are never reused.
   */
  addressOrder?: 'ascending' | 'descending';
  /** Map calls (1-based, counted from creation, as in {@link MockFault.nth}) that throw `ENOMEM`. */
  failMapAt?: readonly number[];
  /** Unmap calls (1-based, counted from creation, as in {@link MockFault.nth}) that throw `ENOMEM`. */
  failUnmapAt?: readonly number[];
  /** When true, every mapping's buffer is one page shorter than its byteLength (a broken provider). */
  shortBuffer?: boolean;
}

/**
 * A {@link PageProvider} over `ArrayBuffer`s with fake addresses, limits and fault injection.
 * Runs anywhere (browsers included).
 */
export interface MockPageProvider extends PageProvider {
  /** Always true: every mapping is a new `ArrayBuffer`, and those are zero-filled. */
  readonly zeroed: true;
  /** The limit on `mappedBytes` (`Infinity` when unlimited). */
  readonly maxBytes: number;
  /** Number of `map` calls that succeeded (failed calls are not counted). */
  readonly mapCalls: number;
  /** Number of `unmap` calls that succeeded (failed calls are not counted). */
  readonly unmapCalls: number;
  /** Number of injected faults that have not fired yet. */
  readonly pendingFaults: number;
  /**
   * Arms a fault for a later call; see {@link MockFault}.
   * @param fault which call fails and how.
   * @throws MemsError `EINVAL` for a malformed fault (unknown op or kind, nth not a positive
   *   integer, unknown code, `'short-buffer'` on unmap, bad shortBy).
   */
  injectFault(fault: MockFault): void;
  /** Disarms every pending fault. */
  clearFaults(): void;
}

interface PendingFault {
  op: 'map' | 'unmap';
  remaining: number;
  kind: 'error' | 'short-buffer';
  code: MemsErrorCode;
  shortBy: number | undefined;
}

/**
 * Creates a mock page provider: each mapping is a fresh zero-filled `ArrayBuffer` with a
 * deterministic, page-aligned fake address. Mappings are never adjacent (a gap of at least one
 * page separates them) and addresses are never reused, so no consumer can rely on adjacency.
 * On unmap the buffer is detached (where `structuredClone` can transfer it), so stale typed
 * arrays over it read as empty instead of silently working: the mmap provider would crash there.
 *
 * @param options page size, limits, address order and faults; see {@link MockProviderOptions}.
 * @returns a new provider with nothing mapped.
 * @throws MemsError `EINVAL` for a bad option (for example a pageSize that is not a power of two).
 *
 * @example
 * const provider = createMockProvider({ pageSize: 4096, maxBytes: 1 << 20 });
 * const mapping = provider.map(8192);
 * new Uint8Array(mapping.buffer)[0] = 42;
 * provider.unmap(mapping);
 */
export function createMockProvider(options: MockProviderOptions = {}): MockPageProvider {
  const name = readProviderName('createMockProvider', options, 'mock');
  const pageSize = options.pageSize ?? DEFAULT_MOCK_PAGE_SIZE;
  if (!isPowerOfTwo(pageSize) || pageSize > MAX_MOCK_PAGE_SIZE) {
    throw new MemsError(
      'EINVAL',
      `createMockProvider: pageSize ${describeValue(pageSize)} must be a power of two from 1 to ${MAX_MOCK_PAGE_SIZE}`,
    );
  }
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  if (
    typeof maxBytes !== 'number' ||
    maxBytes < 0 ||
    !(Number.isSafeInteger(maxBytes) || maxBytes === Number.POSITIVE_INFINITY)
  ) {
    throw new MemsError(
      'EINVAL',
      `createMockProvider: maxBytes ${describeValue(maxBytes)} must be a non-negative integer or Infinity`,
    );
  }
  const maxMappingBytes = options.maxMappingBytes ?? MAX_MAPPING_BYTES;
  if (
    typeof maxMappingBytes !== 'number' ||
    !Number.isSafeInteger(maxMappingBytes) ||
    maxMappingBytes < pageSize
  ) {
    throw new MemsError(
      'EINVAL',
      `createMockProvider: maxMappingBytes ${describeValue(maxMappingBytes)} must be an integer of at least one page (${pageSize})`,
    );
  }
  const addressOrder = options.addressOrder ?? 'ascending';
  if (addressOrder !== 'ascending' && addressOrder !== 'descending') {
    throw new MemsError(
      'EINVAL',
      `createMockProvider: addressOrder ${describeValue(addressOrder)} must be 'ascending' or 'descending'`,
    );
  }
  const shortBuffer = options.shortBuffer ?? false;
  if (typeof shortBuffer !== 'boolean') {
    throw new MemsError(
      'EINVAL',
      `createMockProvider: shortBuffer ${describeValue(shortBuffer)} must be a boolean`,
    );
  }

  const page = BigInt(pageSize);
  // Both starts are multiples of 2^40 or of 0x10000000; round up so any page size aligns them.
  let cursor = addressOrder === 'ascending' ? roundUp(ASCENDING_START, page) : DESCENDING_START;
  let mappedBytes = 0;
  let mappingCount = 0;
  let mapCalls = 0;
  let unmapCalls = 0;
  let faults: PendingFault[] = [];
  const created = new WeakSet<object>();

  const parseFault = (fault: unknown): PendingFault => {
    const where = `${name}.injectFault(${describeValue(fault)})`;
    if (typeof fault !== 'object' || fault === null)
      throw new MemsError('EINVAL', `${where}: fault must be an object`);
    const { op, nth = 1, kind = 'error', code = 'ENOMEM', shortBy } = fault as MockFault;
    if (op !== 'map' && op !== 'unmap') {
      throw new MemsError('EINVAL', `${where}: op ${describeValue(op)} must be 'map' or 'unmap'`);
    }
    if (typeof nth !== 'number' || !Number.isSafeInteger(nth) || nth < 1) {
      throw new MemsError('EINVAL', `${where}: nth ${describeValue(nth)} must be a positive integer`);
    }
    if (kind !== 'error' && kind !== 'short-buffer') {
      throw new MemsError(
        'EINVAL',
        `${where}: kind ${describeValue(kind)} must be 'error' or 'short-buffer'`,
      );
    }
    if (kind === 'short-buffer' && op !== 'map') {
      throw new MemsError('EINVAL', `${where}: kind 'short-buffer' applies to map only`);
    }
    if (!MEMS_ERROR_CODES.includes(code)) {
      throw new MemsError(
        'EINVAL',
        `${where}: code ${describeValue(code)} must be one of ${MEMS_ERROR_CODES.join(', ')}`,
      );
    }
    if (
      shortBy !== undefined &&
      (typeof shortBy !== 'number' || !Number.isSafeInteger(shortBy) || shortBy < 1)
    ) {
      throw new MemsError('EINVAL', `${where}: shortBy ${describeValue(shortBy)} must be a positive integer`);
    }
    return { op, remaining: nth, kind, code, shortBy };
  };

  /** Counts one call of `op` that passed its argument checks; returns the faults that fire on it. */
  const countCall = (op: 'map' | 'unmap'): PendingFault[] => {
    if (faults.length === 0) return [];
    const fired: PendingFault[] = [];
    const pending: PendingFault[] = [];
    for (const fault of faults) {
      if (fault.op === op && --fault.remaining === 0) fired.push(fault);
      else pending.push(fault);
    }
    faults = pending;
    return fired;
  };

  const provider: MockPageProvider = {
    name,
    zeroed: true,
    pageSize,
    maxMappingBytes,
    maxBytes,
    get mappedBytes() {
      return mappedBytes;
    },
    get mappingCount() {
      return mappingCount;
    },
    get mapCalls() {
      return mapCalls;
    },
    get unmapCalls() {
      return unmapCalls;
    },
    get pendingFaults() {
      return faults.length;
    },

    map(byteLength: number): Mapping {
      const call = `${name}.map`;
      const length = validateByteLength(call, byteLength, pageSize, maxMappingBytes);
      const fired = countCall('map');
      const error = fired.find((fault) => fault.kind === 'error');
      if (error !== undefined) {
        throw new MemsError(error.code, `${call}(${length}): injected fault (${error.code})`);
      }
      if (mappedBytes + length > maxBytes) {
        throw new MemsError(
          'ENOMEM',
          `${call}(${length}): would map ${mappedBytes + length} bytes, past maxBytes ${maxBytes} (${mappedBytes} mapped)`,
        );
      }
      const size = BigInt(length);
      const address = addressOrder === 'ascending' ? cursor : cursor - size;
      if (address <= 0n || address + size >= 1n << 63n) {
        throw new MemsError('ENOMEM', `${call}(${length}): the fake address space is exhausted`);
      }
      const short = fired.find((fault) => fault.kind === 'short-buffer');
      let bufferLength = length;
      if (short !== undefined) bufferLength = length - Math.min(short.shortBy ?? pageSize, length);
      else if (shortBuffer) bufferLength = length - pageSize;
      let buffer: ArrayBuffer;
      try {
        buffer = new ArrayBuffer(bufferLength);
      } catch (cause) {
        throw new MemsError('ENOMEM', `${call}(${length}): could not allocate an ArrayBuffer`, { cause });
      }
      cursor = addressOrder === 'ascending' ? address + size + page : address - page;
      const mapping = new ProviderMapping(name, address, length, buffer);
      created.add(mapping);
      mappedBytes += length;
      mappingCount += 1;
      mapCalls += 1;
      return mapping;
    },

    unmap(mapping: Mapping): void {
      const call = `${name}.unmap`;
      const target = checkUnmapTarget(call, mapping, created);
      const fired = countCall('unmap');
      const error = fired[0];
      if (error !== undefined) {
        throw new MemsError(
          error.code,
          `${call}(${describeMapping(target)}): injected fault (${error.code})`,
        );
      }
      const buffer = ProviderMapping.retire(target);
      mappedBytes -= target.byteLength;
      mappingCount -= 1;
      unmapCalls += 1;
      detach(buffer);
    },

    injectFault(fault: MockFault): void {
      faults.push(parseFault(fault));
    },

    clearFaults(): void {
      faults = [];
    },
  };

  for (const [key, op] of [
    ['failMapAt', 'map'],
    ['failUnmapAt', 'unmap'],
  ] as const) {
    const calls: unknown = options[key] ?? [];
    if (!Array.isArray(calls)) {
      throw new MemsError(
        'EINVAL',
        `createMockProvider: ${key} ${describeValue(calls)} must be an array of call numbers`,
      );
    }
    for (const nth of calls) {
      if (typeof nth !== 'number' || !Number.isSafeInteger(nth) || nth < 1)
        throw new MemsError(
          'EINVAL',
          `createMockProvider: ${key} contains ${describeValue(nth)}: call numbers are positive integers`,
        );
      provider.injectFault({ op, nth });
    }
  }
  return provider;
}

function roundUp(value: bigint, multiple: bigint): bigint {
  return ((value + multiple - 1n) / multiple) * multiple;
}

/** Detaches an ArrayBuffer so stale views over it become empty; a no-op where that is impossible. */
function detach(buffer: ArrayBuffer): void {
  if (typeof structuredClone !== 'function') return;
  try {
    structuredClone(buffer, { transfer: [buffer] });
  } catch {
    // Not transferable here: the buffer simply stays attached.
  }
}
