import { describe, expect, it } from 'vitest';
import { buildSnapshot, SEED_AFTER_MALLOCS } from './fixtures/build-snapshot';
import { formatJson, STATS_JSON_FORMAT, STATS_JSON_VERSION, toJSON } from './json';
import { computeMetrics } from './metrics';

describe('toJSON', () => {
  const snapshot = buildSnapshot(SEED_AFTER_MALLOCS);

  it('has the documented top-level fields, in order', () => {
    expect(Object.keys(toJSON(snapshot))).toEqual([
      'format',
      'version',
      'policy',
      'pageSize',
      'startAddress',
      'alignment',
      'provider',
      'counters',
      'metrics',
      'nodes',
    ]);
    expect(toJSON(snapshot).format).toBe(STATS_JSON_FORMAT);
    expect(toJSON(snapshot).version).toBe(STATS_JSON_VERSION);
  });

  it('has the documented counter, metric, node and segment fields', () => {
    const json = toJSON(snapshot);
    expect(Object.keys(json.counters)).toEqual([
      'pagesMapped',
      'bytesMapped',
      'bytesInUse',
      'bytesFree',
      'liveBlocks',
      'holes',
      'nodes',
      'segments',
    ]);
    expect(Object.keys(json.metrics)).toEqual([
      'utilisation',
      'externalFragmentation',
      'holeCount',
      'largestHole',
      'totalFree',
      'holeSizeHistogram',
    ]);
    expect(Object.keys(json.nodes[0]!)).toEqual([
      'start',
      'lastAddress',
      'size',
      'pages',
      'physicalAddress',
      'bytesInUse',
      'bytesFree',
      'largestHole',
      'utilisation',
      'segments',
    ]);
    expect(Object.keys(json.nodes[0]!.segments[0]!)).toEqual(['kind', 'start', 'lastAddress', 'size']);
  });

  it('copies the counters and includes the computed metrics', () => {
    const json = toJSON(snapshot);
    expect(json.counters).toEqual(snapshot.counters);
    expect(json.metrics).toEqual(computeMetrics(snapshot));
    expect(json.nodes[2]).toMatchObject({
      start: 9192,
      lastAddress: 13287,
      bytesInUse: 2000,
      bytesFree: 2096,
    });
    expect(json.nodes[2]!.utilisation).toBeCloseTo(2000 / 4096, 12);
  });

  it('leaves out fields the snapshot has but the format does not document', () => {
    const extended = { ...snapshot, secret: 1, nodes: snapshot.nodes.map((n) => ({ ...n, extra: true })) };
    const json = toJSON(extended) as unknown as Record<string, unknown>;
    expect(json.secret).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain('extra');
  });

  it('returns fresh objects that do not alias the snapshot', () => {
    const json = toJSON(snapshot);
    json.nodes[0]!.segments[0]!.size = 1;
    expect(snapshot.nodes[0]!.segments[0]!.size).toBe(1000);
  });
});

describe('formatJson', () => {
  const snapshot = buildSnapshot(SEED_AFTER_MALLOCS);

  it('parses back to toJSON', () => {
    expect(JSON.parse(formatJson(snapshot))).toEqual(toJSON(snapshot));
  });

  it('indents by 2 by default and ends with a newline', () => {
    const text = formatJson(snapshot);
    expect(text.startsWith('{\n  "format": "mems-stats",\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('follows the indent option; 0 gives one line', () => {
    expect(formatJson(snapshot, { indent: 4 })).toContain('\n    "format"');
    const oneLine = formatJson(snapshot, { indent: 0 });
    expect(oneLine.indexOf('\n')).toBe(oneLine.length - 1);
  });
});
