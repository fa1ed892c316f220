import { describe, expect, it } from 'vitest';
import { buildSnapshot, SEED_AFTER_MALLOCS } from './fixtures/build-snapshot';
import { formatTable } from './table';

describe('formatTable', () => {
  it('prints one row per node and a totals row for the seed example', () => {
    expect(formatTable(buildSnapshot(SEED_AFTER_MALLOCS))).toBe(
      [
        ' node  range         pages   used  free  largest hole  utilisation',
        '-----  ------------  -----  -----  ----  ------------  -----------',
        '    0  [1000:5095]       1   4000    96            96        97.7%',
        '    1  [5096:9191]       1   4000    96            96        97.7%',
        '    2  [9192:13287]      1   2000  2096          2096        48.8%',
        '-----  ------------  -----  -----  ----  ------------  -----------',
        'total  [1000:13287]      3  10000  2288          2096        81.4%',
        '',
      ].join('\n'),
    );
  });

  it('prints only the header and a zero totals row for an empty heap', () => {
    const lines = formatTable(buildSnapshot([])).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(/^total {2}- +0 +0 +0 +0 +0\.0%$/);
  });

  it('keeps columns aligned when numbers get wide', () => {
    const snapshot = buildSnapshot(['P1 H4095', 'P40960000 H4096', 'P4096'], { pageSize: 4096 });
    const lines = formatTable(snapshot).trimEnd().split('\n');
    // Every right-aligned column ends at the same offset on every line.
    const ends = (line: string) => [...line.matchAll(/\S+/g)].map((m) => m.index + m[0].length);
    const rule = ends(lines[1]!); // the dashed rule marks where each column ends
    for (const line of lines.slice(2)) {
      if (line.startsWith('-')) continue;
      expect(ends(line).slice(-5)).toEqual(rule.slice(-5));
    }
    expect(lines).toHaveLength(snapshot.nodes.length + 4);
  });
});
