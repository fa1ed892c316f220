// A node's life: how many bytes a new node maps, the checked call to the provider's `map`,
// and the release of an empty node. The heap wraps each provider call in its re-entry guard.

import { describeValue, isMemsError, type Mapping, MemsError, type PageProvider } from '@mems/os';

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
    const reason = error instanceof Error ? error.message : String(error);
    throw new MemsError('ENOMEM', `${call}(${args()}): the provider refused ${mapBytes} bytes: ${reason}`, {
      cause: error,
    });
  }
  let byteLength: unknown;
  let buffer: unknown;
  try {
    byteLength = mapping?.byteLength;
    buffer = mapping?.buffer;
  } catch {
    // A mapping whose members throw is as unusable as one without them.
  }
  if (
    mapping === null ||
    typeof mapping !== 'object' ||
    byteLength !== mapBytes ||
    !(buffer instanceof ArrayBuffer) ||
    buffer.byteLength < mapBytes
  ) {
    const got = buffer instanceof ArrayBuffer ? buffer.byteLength : describeValue(buffer);
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
