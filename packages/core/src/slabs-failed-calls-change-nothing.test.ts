// A call that throws changes nothing, slabs included: a failed allocate or calloc of a slab
// size (ENOMEM from the provider) leaves the visible heap as it was and must leave the slabs'
// hidden state (a class's warm-up count) as it was too, so that a heap that saw the failure
// places every later block where a heap that never saw it does.
//
// (A bug found this way: the warm-up count was taken before place() found room, so a failed
// call made the class get its first slab one allocation early. place() now counts the miss once
// the block is placed.) Reproduction: tlsf, slabs: true, pageSize 4096: allocate(4096) (a full
// node); provider.injectFault({ op: 'map', nth: 1 }); allocate(16) → ENOMEM; then 256 ×
// allocate(16): the 256th must return 9192, as in a heap without the failed call.

import { createMockProvider, isMemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { createHeap, type Heap } from './heap.js';

/** A heap with one full node; `fail` makes its next slab-size call fail with ENOMEM. */
function run(
  fail: ((heap: Heap) => unknown) | null,
  size: number,
): { addresses: number[]; snapshot: string } {
  const provider = createMockProvider();
  const heap = createHeap({ provider, policy: 'tlsf', slabs: true });
  heap.allocate(4096);
  if (fail !== null) {
    provider.injectFault({ op: 'map', nth: 1 });
    const before = JSON.stringify(heap.snapshot());
    let code = '';
    try {
      fail(heap);
    } catch (error) {
      code = isMemsError(error) ? error.code : String(error);
    }
    expect(code).toBe('ENOMEM');
    expect(JSON.stringify(heap.snapshot())).toBe(before);
    heap.validate();
  }
  const addresses = Array.from({ length: Math.ceil(8192 / size) }, () => heap.allocate(size));
  heap.validate();
  return { addresses, snapshot: JSON.stringify(heap.snapshot()) };
}

describe('a failed call of a slab size', () => {
  it('changes no view (ENOMEM, snapshot as before)', () => {
    run((h) => h.allocate(16), 16);
    run((h) => h.calloc(2, 8), 16);
  });

  it.each([
    ['allocate(16)', (h: Heap) => h.allocate(16), 16],
    ['calloc(4, 4)', (h: Heap) => h.calloc(4, 4), 16],
    ['allocate(500)', (h: Heap) => h.allocate(500), 500],
  ])('%s failing leaves later addresses as in a heap that never saw it', (_name, fail, size) => {
    const never = run(null, size);
    const failed = run(fail, size);
    expect(failed.addresses).toEqual(never.addresses);
    expect(failed.snapshot).toBe(never.snapshot);
  });
});
