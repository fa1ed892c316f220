import { createMockProvider, isMemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { Heap } from '../heap.js';
import type { HeapOperation, HeapOptionSurface } from './heap-options.js';
import { HEAP_OPTION_NAMES } from './option-table.js';

/*
 * A layer above the heap (@mems/api) hands the caller's options straight to the heap with a
 * surface: its option names, its wording for null and its own operation names. The heap then
 * reads, checks and resolves them once, in that layer's terms.
 */

const names = Object.fromEntries(
  (
    [
      'allocate',
      'free',
      'translate',
      'view',
      'viewAs',
      'memoryOf',
      'calloc',
      'realloc',
      'usableSize',
      'trim',
      'snapshot',
      'validate',
      'destroy',
      'counters',
    ] as const
  ).map((op) => [op, `my_${op}`]),
) as Record<HeapOperation, string>;

const surface: HeapOptionSurface = {
  optionNames: HEAP_OPTION_NAMES.filter((n) => n !== 'callNames'),
  nullHint: 'drop it',
  callNames: names,
};

function refusal(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(isMemsError(error, 'EINVAL')).toBe(true);
    return error as Error;
  }
  throw new Error('expected EINVAL');
}

describe('a heap created with an option surface', () => {
  it('uses the surface call names in its error messages', () => {
    const heap = new Heap({ provider: createMockProvider() }, 'my_init', surface);
    expect(refusal(() => heap.allocate(0)).message).toMatch(/^my_allocate\(0\): /);
    expect(heap.options.callNames.free).toBe('my_free');
    heap.destroy();
  });

  it('refuses an option outside the surface, listing only the surface options', () => {
    const error = refusal(() => new Heap({ callNames: {} } as never, 'my_init', surface));
    expect(error.message).toBe(
      'my_init: unknown option "callNames"; the options are provider, pageSize, startAddress, policy, alignment, minNodePages, autoTrim, frontCache, slabs',
    );
  });

  it('words a null option with the surface hint', () => {
    const error = refusal(() => new Heap({ pageSize: null } as never, 'my_init', surface));
    expect(error.message).toBe('my_init: option pageSize = null: drop it');
  });

  it('reads each option of the caller once', () => {
    const reads: string[] = [];
    const options = new Proxy({ provider: createMockProvider(), pageSize: 8192 } as Record<string, unknown>, {
      get(target, key) {
        reads.push(String(key));
        return target[key as string];
      },
    });
    const heap = new Heap(options, 'my_init', surface);
    expect(heap.options.pageSize).toBe(8192);
    expect(reads.sort()).toEqual([...surface.optionNames].sort());
    heap.destroy();
  });
});
