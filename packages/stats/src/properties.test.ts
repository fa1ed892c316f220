import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitrarySnapshot } from './fixtures/arbitrary-snapshot';
import { parseXml } from './fixtures/parse-xml';
import { formatJson, toJSON } from './json';
import { computeMetrics } from './metrics';
import { formatSeedStats } from './seed-stats';
import { formatSvg } from './svg';
import { formatTable } from './table';
import { formatTerminalMap } from './terminal-map';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
const ANSI = /\u001b\[[0-9;]*m/g;

describe('properties over random valid snapshots', () => {
  it('formatSeedStats has nodes + 6 lines, each ending in a newline', () => {
    fc.assert(
      fc.property(arbitrarySnapshot(), (snapshot) => {
        const text = formatSeedStats(snapshot);
        expect(text.endsWith('\n')).toBe(true);
        const lines = text.slice(0, -1).split('\n');
        expect(lines).toHaveLength(snapshot.nodes.length + 6);
        expect(lines.filter((line) => line.startsWith('MAIN['))).toHaveLength(snapshot.nodes.length);
      }),
    );
  });

  it('terminal-map bars are to scale: the largest node `width` cells, the others width × size / largest, aligned', () => {
    fc.assert(
      fc.property(
        arbitrarySnapshot(),
        fc.integer({ min: 1, max: 120 }),
        fc.boolean(),
        (snapshot, width, color) => {
          const lines = formatTerminalMap(snapshot, { width, color })
            .split('\n')
            .filter((line) => line.startsWith('['))
            .map((line) => line.replace(ANSI, ''));
          const bars = lines.map((line) => line.slice(line.indexOf('|') + 1, line.lastIndexOf('|')));
          expect(bars).toHaveLength(snapshot.nodes.length);
          const largest = Math.max(0, ...snapshot.nodes.map((node) => node.size));
          snapshot.nodes.forEach((node, i) => {
            const cells = Math.max(1, Math.round((width * node.size) / largest));
            expect([...bars[i]!]).toHaveLength(cells);
            if (node.size === largest) expect(cells).toBe(width);
          });
          // The percentages stay in one column whatever the bar lengths.
          expect(new Set(lines.map((line) => [...line].length)).size).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('a terminal-map bar gives every segment a cell while there are no more segments than cells', () => {
    fc.assert(
      fc.property(arbitrarySnapshot({ maxSegments: 12 }), (snapshot) => {
        const lines = formatTerminalMap(snapshot, { width: 40 }).split('\n');
        snapshot.nodes.forEach((node, i) => {
          const line = lines[i]!;
          const bar = line.slice(line.indexOf('|') + 1, line.lastIndexOf('|'));
          if (bar.length < node.segments.length) return; // a node drawn smaller than its segments
          // Runs of one glyph: each segment is one run, and # / = alternate between PROCESS neighbours.
          const runs = bar.match(/#+|=+|\.+/g) ?? [];
          expect(runs).toHaveLength(node.segments.length);
        });
      }),
    );
  });

  it('metrics stay in range and the histogram accounts for every hole', () => {
    fc.assert(
      fc.property(arbitrarySnapshot(), (snapshot) => {
        const m = computeMetrics(snapshot);
        expect(m.utilisation).toBeGreaterThanOrEqual(0);
        expect(m.utilisation).toBeLessThanOrEqual(1);
        expect(m.externalFragmentation).toBeGreaterThanOrEqual(0);
        expect(m.externalFragmentation).toBeLessThan(1);
        expect(m.holeCount).toBe(snapshot.counters.holes);
        expect(m.totalFree).toBe(snapshot.counters.bytesFree);
        expect(m.holeSizeHistogram.reduce((sum, b) => sum + b.count, 0)).toBe(m.holeCount);
        for (const bucket of m.holeSizeHistogram) expect(bucket.toBytes).toBe(2 * bucket.fromBytes - 1);
        for (const node of snapshot.nodes) {
          for (const s of node.segments) {
            if (s.kind !== 'HOLE') continue;
            const bucket = m.holeSizeHistogram.find((b) => b.fromBytes <= s.size && s.size <= b.toBytes);
            expect(bucket?.count).toBeGreaterThan(0);
          }
        }
      }),
    );
  });

  it('formatJson parses back to toJSON', () => {
    fc.assert(
      fc.property(arbitrarySnapshot(), (snapshot) => {
        expect(JSON.parse(formatJson(snapshot, { indent: 0 }))).toEqual(toJSON(snapshot));
      }),
    );
  });

  it('formatTable has nodes + 4 lines', () => {
    fc.assert(
      fc.property(arbitrarySnapshot(), (snapshot) => {
        expect(formatTable(snapshot).slice(0, -1).split('\n')).toHaveLength(snapshot.nodes.length + 4);
      }),
    );
  });

  it('formatSvg is always well-formed XML, in both modes', () => {
    fc.assert(
      fc.property(
        arbitrarySnapshot(),
        fc.constantFrom('detailed', 'density') as fc.Arbitrary<'detailed' | 'density'>,
        fc.string(),
        (snapshot, mode, title) => {
          expect(parseXml(formatSvg(snapshot, { mode, title })).name).toBe('svg');
        },
      ),
      { numRuns: 50 },
    );
  });
});
