import { isMemsError, MemsError } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, SEED_AFTER_MALLOCS } from './fixtures/build-snapshot';
import * as stats from './index';

type Call = (value: unknown) => unknown;

/** Every exported function that takes a snapshot first. */
const SNAPSHOT_FUNCTIONS: Record<string, Call> = {
  computeMetrics: (v) => stats.computeMetrics(v as never),
  formatSeedStats: (v) => stats.formatSeedStats(v as never),
  toJSON: (v) => stats.toJSON(v as never),
  formatJson: (v) => stats.formatJson(v as never),
  formatTable: (v) => stats.formatTable(v as never),
  formatTerminalMap: (v) => stats.formatTerminalMap(v as never),
  formatSvg: (v) => stats.formatSvg(v as never),
};

function thrown(call: () => unknown): MemsError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(MemsError);
    return error as MemsError;
  }
  throw new Error('expected a MemsError, nothing was thrown');
}

const seed = buildSnapshot(SEED_AFTER_MALLOCS);
const BAD_SNAPSHOTS: [string, unknown, string][] = [
  ['undefined', undefined, 'undefined'],
  ['null', null, 'null'],
  ['a number', 42, '42'],
  ['a string', 'heap', '"heap"'],
  ['an array', [], 'an array'],
  ['no nodes', { counters: seed.counters }, 'snapshot.nodes must be an array'],
  ['nodes not an array', { ...seed, nodes: {} }, 'snapshot.nodes must be an array'],
  ['no counters', { nodes: [] }, 'snapshot.counters must be an object'],
  ['a counter of the wrong type', { ...seed, counters: { ...seed.counters, bytesFree: '1' } }, 'bytesFree'],
  ['a node that is not an object', { ...seed, nodes: [7] }, 'nodes[0]'],
  [
    'a node without segments',
    { ...seed, nodes: [{ ...seed.nodes[0], segments: null }] },
    'nodes[0].segments',
  ],
  [
    'a segment of an unknown kind',
    {
      ...seed,
      nodes: [{ ...seed.nodes[0], segments: [{ kind: 'FREE', start: 1, lastAddress: 1, size: 1 }] }],
    },
    "nodes[0].segments[0].kind must be 'PROCESS' or 'HOLE'",
  ],
  [
    'a segment with a NaN size',
    {
      ...seed,
      nodes: [{ ...seed.nodes[0], segments: [{ kind: 'HOLE', start: 1, lastAddress: 1, size: Number.NaN }] }],
    },
    'size must be a finite number',
  ],
];

describe('input validation', () => {
  for (const [name, call] of Object.entries(SNAPSHOT_FUNCTIONS)) {
    describe(name, () => {
      it.each(BAD_SNAPSHOTS)(
        'rejects %s with EINVAL naming the function and the value',
        (_, value, words) => {
          const error = thrown(() => call(value));
          expect(error.code).toBe('EINVAL');
          expect(isMemsError(error, 'EINVAL')).toBe(true);
          expect(error.message.startsWith(`${name}(`)).toBe(true);
          expect(error.message).toContain(words);
        },
      );

      it('accepts a valid snapshot', () => {
        expect(() => call(seed)).not.toThrow();
      });
    });
  }

  it('computeNodeMetrics rejects a non-node', () => {
    const error = thrown(() => stats.computeNodeMetrics({ segments: 'no' } as never));
    expect(error.code).toBe('EINVAL');
    expect(error.message).toMatch(/^computeNodeMetrics\(node\): node\.start/);
  });

  it.each([
    ['formatJson', () => stats.formatJson(seed, { indent: -1 }), 'options.indent'],
    ['formatJson', () => stats.formatJson(seed, { indent: 1.5 }), 'options.indent'],
    ['formatJson', () => stats.formatJson(seed, 'pretty' as never), 'options must be an object'],
    ['formatTerminalMap', () => stats.formatTerminalMap(seed, { width: 0 }), 'options.width'],
    [
      'formatTerminalMap',
      () => stats.formatTerminalMap(seed, { width: Number.POSITIVE_INFINITY }),
      'Infinity',
    ],
    ['formatTerminalMap', () => stats.formatTerminalMap(seed, { color: 'yes' as never }), 'options.color'],
    ['formatSvg', () => stats.formatSvg(seed, { width: 100 }), 'options.width must be an integer from 320'],
    ['formatSvg', () => stats.formatSvg(seed, { title: 3 as never }), 'options.title must be a string'],
    [
      'formatSvg',
      () => stats.formatSvg(seed, { mode: 'fancy' as never }),
      "options.mode must be one of 'auto'",
    ],
  ])('%s rejects a bad option (%s)', (name, call, words) => {
    const error = thrown(call);
    expect(error.code).toBe('EINVAL');
    expect(error.message.startsWith(`${name}(options)`)).toBe(true);
    expect(error.message).toContain(words);
  });

  it('does not modify the snapshot it formats', () => {
    const snapshot = buildSnapshot(SEED_AFTER_MALLOCS);
    const before = JSON.stringify(snapshot);
    for (const call of Object.values(SNAPSHOT_FUNCTIONS)) call(snapshot);
    expect(JSON.stringify(snapshot)).toBe(before);
  });
});
