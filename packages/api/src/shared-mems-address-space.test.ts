import { readFileSync } from 'node:fs';
import { isMemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createSharedMems } from './shared-mems.js';

// Issue 22 item 1: every shared heap reserved 1 GiB of address space for its tables (a growable
// SharedArrayBuffer) and 8 MiB for its page table, and neither came back at finish or after a
// failed creation: JavaScript cannot free a SharedArrayBuffer and V8 does not collect for the
// address space one reserves, so VmSize grew by about 1 GiB per heap. Linux only: VmSize and the
// kernel's mappings are read from /proc/self.

const linux = process.platform === 'linux' && readable('/proc/self/status');
const CYCLES = 20;
/** Far below one heap's reservation (1 GiB), far above what JavaScript objects add in 20 cycles. */
const SLACK_BYTES = 256 * 2 ** 20;

function readable(path: string): boolean {
  try {
    readFileSync(path, 'utf8');
    return true;
  } catch {
    return false;
  }
}

function vmSizeBytes(): number {
  const match = /^VmSize:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (match === null) throw new Error('no VmSize line in /proc/self/status');
  return Number(match[1]) * 1024;
}

function mappingLines(): number {
  return readFileSync('/proc/self/maps', 'utf8').trim().split('\n').length;
}

/** VmSize and /proc/self/maps growth over `count` runs of `step` (after two runs to warm up). */
function growth(count: number, step: () => void): { vmSize: number; mappings: number } {
  step();
  step();
  const vmSize = vmSizeBytes();
  const mappings = mappingLines();
  for (let i = 0; i < count; i++) step();
  return { vmSize: vmSizeBytes() - vmSize, mappings: mappingLines() - mappings };
}

function expectEinval(step: () => unknown): void {
  try {
    step();
  } catch (error) {
    if (isMemsError(error, 'EINVAL')) return;
    throw error;
  }
  throw new Error('expected EINVAL');
}

describe.skipIf(!linux)('a shared heap gives its address space back (VmSize, /proc/self/maps)', () => {
  it(`${CYCLES} createSharedMems + malloc + free + finish cycles do not grow VmSize`, () => {
    const grown = growth(CYCLES, () => {
      const mems = createSharedMems({ policy: 'tlsf' });
      mems.free(mems.malloc(10));
      mems.finish();
    });
    expect(grown.vmSize).toBeLessThan(SLACK_BYTES);
    expect(grown.mappings).toBeLessThan(CYCLES);
  });

  it(`${CYCLES} creations that fail their option checks do not grow VmSize`, () => {
    const failures = [
      () => createSharedMems({ policy: 'tlsf', alignment: 3 }), // refused by the heap, after the reservations
      () => createSharedMems({ colour: 'red' } as never), // an unknown option, also found by the heap
      () => createSharedMems({ maxBytes: 4097 }), // refused by the default provider, after the tables
    ];
    for (const fail of failures) {
      const grown = growth(CYCLES, () => expectEinval(fail));
      expect(grown.vmSize).toBeLessThan(SLACK_BYTES);
      expect(grown.mappings).toBeLessThan(CYCLES);
    }
  });
});
