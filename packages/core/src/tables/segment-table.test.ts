import { describe, expect, it } from 'vitest';
import { FANOUT, SLOTS, SPARSE } from '../policies/btree-shape.js';
import { LINK_STRIDE } from '../policies/link-words.js';
import { FL_COUNT, SL_BITS, SL_COUNT, SMALL_LIMIT } from '../policies/tlsf-classes.js';
import { HOLE, NONE, SegmentTable } from './segment-table.js';

describe('the segment table', () => {
  it('grows from any capacity, 0 and 1 included, and keeps every record', () => {
    for (const capacity of [0, 1, 2, 3]) {
      const table = new SegmentTable(undefined, capacity);
      const ids: number[] = [];
      for (let k = 0; k < 50; k++) {
        table.reserve(1);
        const id = table.take();
        table.setStart(id, 1000 + k);
        table.setSize(id, 2 ** 32 - 1 - k);
        table.setNodeKind(id, k, HOLE);
        table.setPrev(id, NONE);
        ids.push(id);
      }
      expect(table.capacity).toBeGreaterThanOrEqual(50);
      ids.forEach((id, k) => {
        expect(table.start(id)).toBe(1000 + k);
        expect(table.size(id)).toBe(2 ** 32 - 1 - k);
        expect(table.node(id)).toBe(k);
        expect(table.kind(id)).toBe(HOLE);
      });
    }
  });

  it('grows by half: after a growth at most a third of the records are unused', () => {
    const table = new SegmentTable(undefined, 64);
    for (let k = 0; k < 10_000; k++) {
      const full = table.count === table.capacity;
      table.reserve(1);
      table.take();
      if (full) expect(table.count / table.capacity).toBeGreaterThanOrEqual(2 / 3);
    }
  });
});

describe('the raw link words the built-in policies index', () => {
  it('are the words link() and setLink() read and write, across growths', () => {
    const table = new SegmentTable(undefined, 2);
    for (let id = 0; id < 40; id++) {
      table.reserve(1);
      table.take();
      table.setLink(id, 0, 1000 + id);
      table.linkWords[LINK_STRIDE * id + 1] = -1 - id;
    }
    for (let id = 0; id < 40; id++) {
      expect(table.linkWords[LINK_STRIDE * id]).toBe(1000 + id);
      expect(table.link(id, 1)).toBe(-1 - id);
    }
  });
});

describe('the layout constants kept as literals for the build to inline', () => {
  it('agree with the values they are derived from', () => {
    expect(SLOTS).toBe(FANOUT + 1);
    expect(SPARSE).toBe(FANOUT >> 2);
    expect(SL_COUNT).toBe(1 << SL_BITS);
    expect(SMALL_LIMIT).toBe(SL_COUNT);
    expect(FL_COUNT).toBe(32 - SL_BITS + 1);
  });
});
