import { readFileSync } from 'node:fs';

/** One line of /proc/self/maps: an address range of this process. */
export interface ProcessMapping {
  start: bigint;
  end: bigint;
  line: string;
}

/** Whether this system has /proc/self/maps (Linux). */
export function hasProcMaps(): boolean {
  try {
    readFileSync('/proc/self/maps', 'utf8');
    return true;
  } catch {
    return false;
  }
}

/** The process's mappings, as the kernel lists them now. */
export function readProcMaps(): ProcessMapping[] {
  return readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [range = ''] = line.split(' ', 1);
      const [start = '0', end = '0'] = range.split('-');
      return { start: BigInt(`0x${start}`), end: BigInt(`0x${end}`), line };
    });
}

/** The mappings that overlap [address, address + length). */
export function mappingsOverlapping(
  maps: readonly ProcessMapping[],
  address: bigint,
  length: number,
): ProcessMapping[] {
  const end = address + BigInt(length);
  return maps.filter((m) => m.start < end && address < m.end);
}
