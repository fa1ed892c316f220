import { createHeap, type HeapSnapshot } from '@mems/core';
import { createMockProvider } from '@mems/os';
import {
  computeMetrics,
  computeNodeMetrics,
  formatJson,
  formatSeedStats,
  formatSvg,
  formatTable,
  formatTerminalMap,
  toJSON,
} from '@mems/stats';
import { describe } from 'vitest';
import { type BadCase, badCase, itRefuses } from './harness.js';

/** Freezes a value and everything in it, so a formatter that writes to its input throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const heap = createHeap({ provider: createMockProvider() });
for (const size of [100, 200, 5000]) heap.allocate(size);
heap.free(1100);
const good: HeapSnapshot = deepFreeze(heap.snapshot());
heap.destroy();
const node = good.nodes[0]!;
const segment = node.segments[0]!;
const withNode = (n: unknown) => ({ ...good, nodes: [n] });
const withSegment = (s: unknown) => withNode({ ...node, segments: [s] });
const withCounters = (c: Record<string, unknown>) => ({ ...good, counters: { ...good.counters, ...c } });

/** [snapshot, the value the message must name]. */
const BAD_SNAPSHOTS: readonly [unknown, unknown][] = [
  [undefined, undefined],
  [null, null],
  [5, 5],
  ['snapshot', 'snapshot'],
  [[], []],
  [{}, undefined],
  [{ nodes: [] }, undefined],
  [{ counters: good.counters }, undefined],
  [withCounters({ pagesMapped: Number.NaN }), Number.NaN],
  [withCounters({ bytesFree: -1 }), -1],
  [withCounters({ bytesInUse: '5' }), '5'],
  [withCounters({ bytesMapped: Number.POSITIVE_INFINITY }), Number.POSITIVE_INFINITY],
  [{ ...good, nodes: 5 }, 5],
  [withNode(5), 5],
  [withNode(null), null],
  [withNode({ ...node, segments: 5 }), 5],
  [withNode({ ...node, start: Number.POSITIVE_INFINITY }), Number.POSITIVE_INFINITY],
  [withNode({ ...node, size: -1 }), -1],
  [withNode({ ...node, pages: Number.NaN }), Number.NaN],
  [withSegment(5), 5],
  [withSegment({ ...segment, kind: 'FREE' }), 'FREE'],
  [withSegment({ ...segment, size: Number.NaN }), Number.NaN],
  [withSegment({ ...segment, start: -5 }), -5],
];

const FORMATTERS: readonly [string, (s: unknown) => unknown][] = [
  ['formatSeedStats', (s) => formatSeedStats(s as HeapSnapshot)],
  ['computeMetrics', (s) => computeMetrics(s as HeapSnapshot)],
  ['toJSON', (s) => toJSON(s as HeapSnapshot)],
  ['formatJson', (s) => formatJson(s as HeapSnapshot)],
  ['formatTable', (s) => formatTable(s as HeapSnapshot)],
  ['formatTerminalMap', (s) => formatTerminalMap(s as HeapSnapshot)],
  ['formatSvg', (s) => formatSvg(s as HeapSnapshot)],
];

const cases: BadCase[] = [];
for (const [name, format] of FORMATTERS)
  for (const [snapshot, offending] of BAD_SNAPSHOTS) {
    const frozen = deepFreeze(structuredClone(snapshot));
    cases.push(badCase(name, 'EINVAL', [snapshot], [offending], () => format(frozen)));
  }
for (const [n, offending] of [
  [undefined, undefined],
  [null, null],
  [5, 5],
  [{}, undefined],
  [{ ...node, size: -1 }, -1],
  [{ ...node, segments: null }, null],
  [{ ...node, segments: [{ ...segment, kind: 'X' }] }, 'X'],
] as [unknown, unknown][]) {
  const frozen = deepFreeze(structuredClone(n));
  cases.push(
    badCase('computeNodeMetrics', 'EINVAL', [n], [offending], () => computeNodeMetrics(frozen as never)),
  );
}
const OPTIONS: readonly [string, (o: unknown) => unknown, [unknown, unknown][]][] = [
  [
    'formatJson',
    (o) => formatJson(good, o as never),
    [
      [5, 5],
      ['pretty', 'pretty'],
      [true, true],
      [{ indent: -1 }, -1],
      [{ indent: 11 }, 11],
      [{ indent: 1.5 }, 1.5],
      [{ indent: '2' }, '2'],
      [{ indent: Number.NaN }, Number.NaN],
    ],
  ],
  [
    'formatTerminalMap',
    (o) => formatTerminalMap(good, o as never),
    [
      [5, 5],
      [{ width: 0 }, 0],
      [{ width: 10001 }, 10001],
      [{ width: 1.5 }, 1.5],
      [{ width: Number.NaN }, Number.NaN],
      [{ width: '64' }, '64'],
      [{ color: 'yes' }, 'yes'],
      [{ color: 1 }, 1],
    ],
  ],
  [
    'formatSvg',
    (o) => formatSvg(good, o as never),
    [
      ['svg', 'svg'],
      [{ width: 319 }, 319],
      [{ width: 8193 }, 8193],
      [{ width: Number.NaN }, Number.NaN],
      [{ width: 960.5 }, 960.5],
      [{ title: 5 }, 5],
      [{ mode: 'fancy' }, 'fancy'],
      [{ mode: 5 }, 5],
    ],
  ],
];
for (const [name, format, values] of OPTIONS)
  for (const [options, offending] of values)
    cases.push(badCase(name, 'EINVAL', ['snapshot', options], [offending], () => format(options)));

describe('@mems/stats formatters refuse bad input and leave the snapshot alone', () => {
  itRefuses(cases, () => JSON.stringify(good));
});
