/**
 * The exact `EFAULT` message a heap gives for an address that is not a live block's start,
 * worked out from a snapshot of that heap, as `@mems/core` words it:
 * `free(1003): 1003 is an interior address of the block at 1000, not its start`,
 * `free(1000): 1000 is inside a free hole [1000:5095] (already freed?)`,
 * `get(7): 7 is not inside any mapped node (never allocated, or its node was unmapped)`.
 * The `pnpm fuzz --shared N` workers compare a shared heap's refusals with these (a heap that
 * other threads change cannot be replayed on a private `createMems`); the tests check these
 * texts against `createMems`'s own refusals.
 */
import type { HeapSnapshot } from '@mems/core';

/** The message of a call whose address lies inside the live block at `blockStart`, not at its start. */
export function interiorAddressMessage(
  call: string,
  args: string,
  address: number,
  blockStart: number,
): string {
  return `${call}(${args}): ${address} is an interior address of the block at ${blockStart}, not its start`;
}

/**
 * The message a heap in the state `snapshot` gives when `call(args)` names `address` as a
 * block's start (free, realloc, usableSize) or as a byte of a live block (get), or null when
 * that call would accept the address.
 * @param call the method's name, e.g. `free`.
 * @param args the arguments as the message writes them, e.g. `1000, 64`.
 * @param address the address the call is given.
 * @param snapshot the heap's `stats()` at the moment of the call.
 * @param interiorIsValid true for `get`, which takes any byte of a live block.
 */
export function notABlockMessage(
  call: string,
  args: string,
  address: number,
  snapshot: HeapSnapshot,
  interiorIsValid = false,
): string | null {
  const node = snapshot.nodes.find((n) => n.start <= address && address <= n.lastAddress);
  const prefix = `${call}(${args}): ${address} is`;
  if (node === undefined)
    return `${prefix} not inside any mapped node (never allocated, or its node was unmapped)`;
  const segments = node.segments;
  const segment = segments.find((s) => s.start <= address && address <= s.lastAddress)!;
  if (segment.kind === 'PROCESS') {
    if (segment.start === address || interiorIsValid) return null;
    return interiorAddressMessage(call, args, address, segment.start);
  }
  // A hole (cached blocks are shown merged into the holes around them, as the heap names them).
  return `${prefix} inside a free hole [${segment.start}:${segment.lastAddress}] (already freed?)`;
}
