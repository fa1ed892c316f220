// A node's life: how many bytes a new node maps, the checked call to the provider's `map`,
// and the release of an empty node. The heap wraps each provider call in its re-entry guard.

import {
  describeValue,
  errorMessage,
  isMemsError,
  type Mapping,
  MemsError,
  type PageProvider,
} from '@mems/os';
import { isPageBuffer, mappingOffset } from '../memory/page-buffers.js';
import type { ProviderFacts } from '../options/heap-options.js';
import type { HeapTables } from '../tables/heap-tables.js';

/** The largest node: koffi views and ArrayBuffers stay below 4 GiB, and sizes fit a uint32. */
const NODE_BYTES_LIMIT = 2 ** 32 - 1;

/**
 * The largest node (and block) a heap can map: whole provider pages up to the provider's
 * largest mapping and 2^32 − 1 bytes, rounded down to whole heap pages.
 */
export function largestNode(provider: ProviderFacts, pageSize: number): number {
  const osPage = provider.pageSize;
  const limit = Math.floor(Math.min(provider.maxMappingBytes, NODE_BYTES_LIMIT) / osPage) * osPage;
  return Math.floor(limit / pageSize) * pageSize;
}

/**
 * Whether a provider promises zero-filled mappings (`zeroed === true`). Anything else, a
 * getter that throws included, counts as no promise: calloc then fills every block itself.
 */
export function promisesZeroedPages(provider: PageProvider): boolean {
  try {
    return provider.zeroed === true;
  } catch {
    return false;
  }
}

/**
 * The bytes a node for an allocation of `n` bytes spans: ceil(n / pageSize) heap pages, at
 * least `minNodePages`, at most `maxNodeBytes`.
 */
export function nodeBytesFor(
  n: number,
  pageSize: number,
  minNodePages: number,
  maxNodeBytes: number,
): number {
  const pages = Math.max(Math.ceil(n / pageSize), minNodePages);
  return Math.min(pages * pageSize, maxNodeBytes);
}

/**
 * Maps `mapBytes` bytes and checks the mapping the provider returns (its length and a buffer
 * that covers it); a mapping that fails the check is handed back.
 * @param call the public call, for messages.
 * @param args its arguments, described (a function: built on failure only).
 * @returns the mapping.
 * @throws MemsError `ENOMEM` when the provider throws or returns an unusable mapping.
 */
export function mapChecked(
  provider: PageProvider,
  mapBytes: number,
  call: string,
  args: () => string,
): Mapping {
  let mapping: Mapping;
  try {
    mapping = provider.map(mapBytes);
  } catch (error) {
    const reason = errorMessage(error);
    throw new MemsError('ENOMEM', `${call}(${args()}): the provider refused ${mapBytes} bytes: ${reason}`, {
      cause: error,
    });
  }
  let byteLength: unknown;
  let buffer: unknown;
  let offset = -1;
  try {
    byteLength = mapping?.byteLength;
    buffer = mapping?.buffer;
    offset = mappingOffset(mapping);
  } catch {
    // A mapping whose members throw is as unusable as one without them.
  }
  if (
    mapping === null ||
    typeof mapping !== 'object' ||
    byteLength !== mapBytes ||
    !isPageBuffer(buffer) ||
    offset < 0 ||
    buffer.byteLength < offset + mapBytes
  ) {
    const got = isPageBuffer(buffer)
      ? `${buffer.byteLength}${offset > 0 ? ` (pages at byte ${offset})` : offset < 0 ? ' (a bad byteOffset)' : ''}`
      : describeValue(buffer);
    try {
      provider.unmap(mapping);
    } catch {
      // The mapping is unusable either way; the provider's own accounting reports it.
    }
    throw new MemsError(
      'ENOMEM',
      `${call}(${args()}): the provider returned a mapping of ${describeValue(byteLength)} bytes with a buffer of ${got} bytes for ${mapBytes} bytes; refused`,
    );
  }
  return mapping;
}

/**
 * The error of a `trim` or `destroy` whose provider failed to unmap some nodes: the first
 * failure's code, an AggregateError of all as its cause.
 */
export function unmapFailures(failures: unknown[], message: string): MemsError {
  const first = failures[0];
  return new MemsError(isMemsError(first) ? first.code : 'ENOMEM', message, {
    cause: new AggregateError(failures, 'unmap failures'),
  });
}

/**
 * Returns every node without a live block to the provider (the heap's `trim`), then drops
 * them from the main chain in one pass: removing them one by one would shift the chain once
 * per node, O(nodes²) for a heap of many nodes.
 * @param unmapEmpty unmaps one empty node and forgets its hole; throws (changing nothing) when
 *   the provider fails.
 * @returns the bytes released.
 * @throws MemsError when some nodes could not be unmapped (they stay, whole and usable).
 */
export function trimEmptyNodes(t: HeapTables, call: string, unmapEmpty: (node: number) => void): number {
  const nodes = t.nodes;
  let released = 0;
  const failures: unknown[] = [];
  for (let i = nodes.count - 1; i >= 0; i--) {
    const node = nodes.order[i]!;
    if (nodes.liveCount[node] !== 0) continue;
    const bytes = nodes.bytes[node]!;
    try {
      unmapEmpty(node);
      nodes.retire(node);
      released += bytes;
    } catch (error) {
      failures.push(error);
    }
  }
  nodes.compact();
  if (failures.length > 0)
    throw unmapFailures(
      failures,
      `${call}(): ${failures.length} empty node(s) could not be unmapped and stay in the heap; ${released} bytes were released`,
    );
  return released;
}

/**
 * Unmaps every node (the heap's `destroy`), going on past failures.
 * @returns what the provider threw, one entry per failed node.
 */
export function unmapEveryNode(t: HeapTables, provider: PageProvider): unknown[] {
  const nodes = t.nodes;
  const failures: unknown[] = [];
  for (let i = 0; i < nodes.count; i++) {
    try {
      provider.unmap(nodes.mappingOf(nodes.order[i]!));
    } catch (error) {
      failures.push(error);
    }
  }
  return failures;
}

/** Empties every table (after {@link unmapEveryNode}). */
export function forgetEverything(t: HeapTables): void {
  t.nodes.clear();
  t.segments.clear();
  t.live.clear();
  t.policy.clear();
  t.cache?.clear();
  t.slabs?.clear();
  t.nodeViews.length = 0;
  t.count.fill(0);
}
