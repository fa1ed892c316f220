/// <reference types="node" />
import { readFileSync } from 'node:fs';

/**
 * Counts the lines of this process's /proc/self/maps whose range meets
 * `[address, address + byteLength)` (Linux only), for tests that ask the kernel whether pages
 * are mapped.
 * @param address the range's first byte.
 * @param byteLength its length in bytes.
 * @returns how many kernel mappings meet it (0 when none).
 */
export function kernelMappingsMeeting(address: bigint, byteLength: number): number {
  const end = address + BigInt(byteLength);
  return readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => {
      const match = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
      return match !== null && BigInt(`0x${match[1]}`) < end && BigInt(`0x${match[2]}`) > address;
    }).length;
}
