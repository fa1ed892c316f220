import { describe, expect, it } from 'vitest';
import type { Command } from './command.js';
import { describeChange } from './describe-change.js';
import { aroundLast, mallocs } from './test-support.js';

const changes = (commands: Command[], options = {}) => {
  const { before, after } = aroundLast(commands, options);
  return describeChange(before, after);
};
const free = (address: number): Command => ({ op: 'free', address });

describe('describeChange', () => {
  it('names the new node and the block placed in it', () => {
    expect(changes([{ op: 'malloc', size: 1000 }])).toEqual([
      'new node MAIN[1000:5095]: 1 page mapped',
      'placed P[1000:1999] in the new node; the rest is H[2000:5095]',
    ]);
  });

  it('names a node of several pages, and a block that fills it', () => {
    expect(changes([{ op: 'malloc', size: 8192 }])).toEqual([
      'new node MAIN[1000:9191]: 2 pages mapped',
      'placed P[1000:9191] in the new node',
    ]);
  });

  it('says how a hole splits', () => {
    expect(changes(mallocs(2, 1000))).toEqual(['split: hole H[2000:5095] → P[2000:2999] + H[3000:5095]']);
  });

  it('says when a block takes a hole whole (exact fit)', () => {
    expect(changes([...mallocs(3, 1000), free(2000), { op: 'malloc', size: 1000 }])).toEqual([
      'exact fit: P[2000:2999] takes the whole hole H[2000:2999]',
    ]);
  });

  describe('the four merge cases of free', () => {
    const eight = mallocs(8, 500);
    it('no neighbouring hole', () => {
      expect(changes([...eight, free(1500)])).toEqual([
        'freed P[1500:1999]: no neighbouring hole, it becomes H[1500:1999]',
      ]);
    });
    it('the hole before', () => {
      expect(changes([...eight, free(1500), free(2000)])).toEqual([
        'freed P[2000:2499]: merged with the hole before → H[1500:2499]',
      ]);
    });
    it('the hole after', () => {
      expect(changes([...eight, free(2000), free(1500)])).toEqual([
        'freed P[1500:1999]: merged with the hole after → H[1500:2499]',
      ]);
    });
    it('both', () => {
      expect(changes([...eight, free(1000), free(2000), free(1500)])).toEqual([
        'freed P[1500:1999]: merged with the holes before and after → H[1000:2499]',
      ]);
    });
  });

  it('says when realloc grows or shrinks a block in place, and when it moves it', () => {
    expect(
      changes([
        { op: 'malloc', size: 100 },
        { op: 'realloc', address: 1000, size: 300 },
      ]),
    ).toEqual(['grew in place: P[1000:1099] → P[1000:1299]']);
    expect(
      changes([
        { op: 'malloc', size: 300 },
        { op: 'realloc', address: 1000, size: 100 },
      ]),
    ).toEqual(['shrank in place: P[1000:1299] → P[1000:1099]']);
    expect(
      changes([
        { op: 'malloc', size: 100 },
        { op: 'malloc', size: 100 },
        { op: 'realloc', address: 1000, size: 300 },
      ]),
    ).toEqual([
      'split: hole H[1200:5095] → P[1200:1499] + H[1500:5095]',
      'freed P[1000:1099]: no neighbouring hole, it becomes H[1000:1099]',
    ]);
  });

  it('says which nodes trim unmaps, and what auto-trim frees with its node', () => {
    expect(changes([{ op: 'malloc', size: 5000 }, free(1000), { op: 'trim' }])).toEqual([
      'node MAIN[1000:9191] unmapped: 2 pages returned',
    ]);
    expect(changes([{ op: 'malloc', size: 100 }, free(1000)], { autoTrim: true })).toEqual([
      'freed P[1000:1099]',
      'node MAIN[1000:5095] unmapped: 1 page returned',
    ]);
  });

  it('says nothing when nothing changed', () => {
    expect(
      changes([
        { op: 'malloc', size: 100 },
        { op: 'get', address: 1000 },
      ]),
    ).toEqual([]);
  });
});
