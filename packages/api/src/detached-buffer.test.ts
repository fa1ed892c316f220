import { createMockProvider, isMemsError, type MockPageProvider } from '@mems/os';
import { afterEach, describe, expect, it } from 'vitest';
import { createMems } from './create-mems.js';
import {
  mems_calloc,
  mems_finish,
  mems_free,
  mems_get,
  mems_init,
  mems_malloc,
  mems_realloc,
  mems_stats,
  mems_trim,
  mems_validate,
  mems_view,
  mems_view_as,
} from './globals.js';
import { finishIfLive } from './test-support/seed-fixture.js';

/*
 * The reproduction: transferring a view's buffer (structuredClone with a transfer list,
 * or postMessage) detaches the node's whole ArrayBuffer on the mock provider. Calls that would
 * touch that node's bytes are MemsError EFAULT naming the node, and change nothing.
 */

afterEach(() => finishIfLive(mems_finish));

function refusal(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    expect(isMemsError(error, 'EFAULT'), String(error)).toBe(true);
    return error as Error;
  }
  return expect.fail('the call succeeded');
}

/** The heap and the provider's accounting, as one comparable string. */
function state(provider: MockPageProvider): string {
  const { counters, nodes } = mems_stats();
  return JSON.stringify({ counters, nodes, mapped: provider.mappedBytes, maps: provider.mapCalls });
}

describe('mems_* over a node whose buffer was detached', () => {
  it('mems_calloc, a moving mems_realloc, mems_view and mems_view_as are EFAULT naming the node, with nothing changed', () => {
    const provider = createMockProvider();
    mems_init({ provider });
    const p = mems_malloc(100);
    mems_malloc(50); // so that growing p must move it
    const view = mems_view(p);
    structuredClone(view, { transfer: [view.buffer] });
    const before = state(provider);

    expect(refusal(() => mems_calloc(10, 10)).message).toBe(
      'mems_calloc(10, 10): node [1000:5095]: its ArrayBuffer is detached (transferred with structuredClone or postMessage?)',
    );
    expect(refusal(() => mems_realloc(p, 8000)).message).toMatch(
      /^mems_realloc\(1000, 8000\): node \[1000:5095\]: /,
    );
    expect(refusal(() => mems_view(p)).message).toMatch(/^mems_view\(1000\): node \[1000:5095\]: /);
    expect(refusal(() => mems_view_as(Int32Array, p)).message).toMatch(
      /^mems_view_as\(Int32Array, 1000\): node \[1000:5095\]: /,
    );
    expect(state(provider)).toBe(before); // no new live block, no page mapped
    expect(mems_stats().counters.liveBlocks).toBe(2);
    mems_validate();
  });

  it('what touches no bytes keeps working, and trim returns the node once its blocks are freed', () => {
    const provider = createMockProvider();
    mems_init({ provider });
    const p = mems_malloc(100);
    const view = mems_view(p);
    structuredClone(view, { transfer: [view.buffer] });
    const other = mems_malloc(5000); // a new node: fully usable
    mems_view(other).fill(1);
    expect(mems_view(other, 3)).toEqual(new Uint8Array([1, 1, 1]));
    expect(typeof mems_get(p)).toBe('bigint');
    mems_free(p);
    expect(mems_trim()).toBe(4096);
    mems_validate();
    mems_finish();
    expect(provider.mappedBytes).toBe(0);
  });

  it('a createMems instance reports it under its own names', () => {
    const mems = createMems({ provider: createMockProvider() });
    const p = mems.malloc(8);
    const view = mems.view(p);
    structuredClone(view, { transfer: [view.buffer] });
    expect(refusal(() => mems.calloc(1, 8)).message).toMatch(/^calloc\(1, 8\): node \[1000:5095\]: /);
    expect(mems.stats().counters.liveBlocks).toBe(1);
    mems.finish();
  });
});
