import { describe, expect, it } from 'vitest';
import {
  buildSnapshot,
  buildSnapshotFromSegments,
  SEED_AFTER_MALLOCS,
  type SegmentSpec,
} from './fixtures/build-snapshot';
import { allElements, parseXml, textOf, type XmlElement } from './fixtures/parse-xml';
import {
  formatSvg,
  SVG_DENSITY_MAX_COLUMNS,
  SVG_DENSITY_MAX_ROWS,
  SVG_DENSITY_MIN_BOUNDARY_GAP,
} from './svg';

const rects = (root: XmlElement) => allElements(root).filter((e) => e.name === 'rect');
const texts = (root: XmlElement) =>
  allElements(root)
    .filter((e) => e.name === 'text')
    .map(textOf);

/** A heap of `count` one-page nodes with a varied, deterministic layout. */
function manyNodes(count: number): ReturnType<typeof buildSnapshotFromSegments> {
  const nodes: SegmentSpec[][] = [];
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647);
  for (let i = 0; i < count; i++) {
    const segments: SegmentSpec[] = [];
    let left = 4096;
    while (left > 0) {
      const size = Math.min(left, 16 + (next() % 300));
      const kind = next() % 3 === 0 ? 'HOLE' : 'PROCESS';
      const previous = segments[segments.length - 1];
      if (kind === 'HOLE' && previous?.kind === 'HOLE')
        segments[segments.length - 1] = { kind, size: previous.size + size };
      else segments.push({ kind, size });
      left -= size;
    }
    nodes.push(segments);
  }
  return buildSnapshotFromSegments(nodes);
}

describe('formatSvg', () => {
  const seed = buildSnapshot(SEED_AFTER_MALLOCS);

  it('produces a well-formed SVG document for the seed example', () => {
    const svg = formatSvg(seed);
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(root.attributes.width).toBe('960');
    expect(svg.endsWith('</svg>\n')).toBe(true);
  });

  it('draws one rectangle per segment with its range in a tooltip', () => {
    const root = parseXml(formatSvg(seed));
    const segments = rects(root).filter((r) => (r.attributes.class ?? '').includes('seg'));
    expect(segments).toHaveLength(13);
    expect(segments.filter((r) => r.attributes.class!.startsWith('h'))).toHaveLength(3);
    const tips = segments.map((r) => textOf(r.children[0] as XmlElement));
    expect(tips[0]).toBe('P[1000:1999] 1000 bytes');
    expect(tips[12]).toBe('H[11192:13287] 2096 bytes');
  });

  it('labels nodes, segment sizes and addresses', () => {
    const labels = texts(parseXml(formatSvg(seed)));
    expect(labels).toEqual(
      expect.arrayContaining(['MAIN[1000:5095]', 'MAIN[5096:9191]', 'MAIN[9192:13287]']),
    );
    expect(labels).toEqual(expect.arrayContaining(['P 1000 B', 'H 2096 B', '1000', '5095', '9192', '13287']));
    expect(labels.some((t) => t.includes('3 nodes, 3 pages') && t.includes('utilisation now 81.4%'))).toBe(
      true,
    );
    expect(labels.some((t) => /\butilisation \d/.test(t))).toBe(false);
  });

  it('makes segment widths proportional and the three bars equally long', () => {
    const segments = rects(parseXml(formatSvg(seed))).filter((r) =>
      (r.attributes.class ?? '').includes('seg'),
    );
    const widths = segments.map((r) => Number(r.attributes.width));
    const node = (from: number, to: number) => widths.slice(from, to).reduce((a, b) => a + b, 0);
    expect(node(0, 5)).toBe(node(5, 10));
    expect(node(0, 5)).toBe(node(10, 13));
    expect(widths[12]! / node(10, 13)).toBeCloseTo(2096 / 4096, 2);
  });

  it('draws node bars to scale by bytes: a 2-page node twice as long as a 1-page one', () => {
    const root = parseXml(formatSvg(buildSnapshot(['P4096', 'P1000 H7192', 'H4096'])));
    const segments = rects(root).filter((r) => (r.attributes.class ?? '').includes('seg'));
    const widths = segments.map((r) => Number(r.attributes.width));
    const onePage = widths[0]!;
    const twoPages = widths[1]! + widths[2]!;
    expect(twoPages).toBeGreaterThan(500);
    expect(onePage / twoPages).toBeCloseTo(0.5, 2);
    expect(widths[3]! / twoPages).toBeCloseTo(0.5, 2);
    expect(widths[1]! / twoPages).toBeCloseTo(1000 / 8192, 2);
    expect(texts(root)).toContain('one bar per node, lengths to scale (a full bar is 8192 bytes)');
  });

  it('keeps a tiny node visible next to a huge one', () => {
    const huge = 'P4096 '.repeat(60).trim();
    const root = parseXml(formatSvg(buildSnapshot([huge, 'H4096']), { mode: 'detailed' }));
    const segments = rects(root).filter((r) => (r.attributes.class ?? '').includes('seg'));
    expect(Number(segments[segments.length - 1]!.attributes.width)).toBeGreaterThanOrEqual(2);
  });

  it('density mode: draws a line between the nodes that share a row', () => {
    const big = manyNodes(300); // 3 nodes per row
    const root = parseXml(formatSvg(big, { mode: 'density' }));
    const paths = allElements(root).filter((e) => e.name === 'path' && e.attributes.class === 'b');
    expect(paths).toHaveLength(SVG_DENSITY_MAX_ROWS);
    for (const path of paths) expect(path.attributes.d!.match(/M/g)).toHaveLength(2);
    // One-page nodes, 3 per row: the lines sit at a third and two thirds of the row.
    const first = /^M([\d.]+) [\d.]+v[\d.]+M([\d.]+) /.exec(paths[0]!.attributes.d!)!;
    const row = rects(root).find((r) => r.attributes.class === 'h')!;
    const x = Number(row.attributes.x);
    const w = Number(row.attributes.width);
    expect((Number(first[1]) - x) / w).toBeCloseTo(1 / 3, 2);
    expect((Number(first[2]) - x) / w).toBeCloseTo(2 / 3, 2);
    expect(texts(root)).toContain(
      '3 nodes per row, dark lines between them; rows to scale (a full row is 12288 bytes)',
    );
  });

  it('density mode: one node per row draws no lines, and rows are to scale by bytes', () => {
    const nodes = buildSnapshot(['P4096', 'P4096 P4096', ...Array.from({ length: 70 }, () => 'H4096')]);
    const root = parseXml(formatSvg(nodes, { mode: 'density' }));
    expect(allElements(root).some((e) => e.name === 'path')).toBe(false);
    const rows = rects(root).filter((r) => r.attributes.class === 'h' && r.children.length === 0);
    expect(Number(rows[0]!.attributes.width) / Number(rows[1]!.attributes.width)).toBeCloseTo(0.5, 1);
    expect(Number(rows[2]!.attributes.width)).toBe(Number(rows[0]!.attributes.width));
  });

  it('density mode: stays bounded with a line per boundary when thousands of nodes share rows', () => {
    const svg = formatSvg(manyNodes(20_000), { mode: 'density' });
    expect(svg.length).toBeLessThan(800_000);
    const paths = allElements(parseXml(svg)).filter((e) => e.name === 'path');
    for (const path of paths) {
      const xs = [...path.attributes.d!.matchAll(/M([\d.]+) /g)].map((m) => Number(m[1]));
      for (let i = 1; i < xs.length; i++)
        expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(SVG_DENSITY_MIN_BOUNDARY_GAP - 0.1);
    }
  });

  it('escapes the title', () => {
    const svg = formatSvg(seed, { title: 'a <b> & "c" \'d\'' });
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;');
    const root = parseXml(svg);
    expect(textOf(root.children.find((c) => typeof c !== 'string' && c.name === 'title') as XmlElement)).toBe(
      'a <b> & "c" \'d\'',
    );
  });

  it('draws an empty heap', () => {
    const root = parseXml(formatSvg(buildSnapshot([])));
    expect(texts(root)).toContain('(no nodes mapped)');
    expect(parseXml(formatSvg(buildSnapshot([]), { mode: 'density' })).name).toBe('svg');
  });

  it('switches to a bounded density picture for 5000 nodes', () => {
    const big = manyNodes(5000);
    const svg = formatSvg(big, { title: 'big' });
    expect(svg.length).toBeLessThan(500_000);
    const root = parseXml(svg);
    const all = rects(root);
    expect(all.length).toBeLessThanOrEqual(SVG_DENSITY_MAX_ROWS * (SVG_DENSITY_MAX_COLUMNS + 1) + 20);
    expect(all.some((r) => (r.attributes.class ?? '').includes('seg'))).toBe(false);
    const labels = texts(root);
    expect(labels).toContain('[1000:205799]'); // the first row: nodes 0..49
    expect(labels.filter((t) => /^\[\d+:\d+\]$/.test(t)).length).toBeLessThanOrEqual(13);
  });

  it('stays bounded in the worst case: every cell of every row a separate shaded run', () => {
    // 100 one-page nodes, one per row; each 64-byte cell alternates fully and half in use.
    const node: SegmentSpec[] = [];
    for (let k = 0; k < 32; k++) {
      node.push({ kind: 'PROCESS', size: 64 }, { kind: 'PROCESS', size: 32 }, { kind: 'HOLE', size: 32 });
    }
    const svg = formatSvg(buildSnapshotFromSegments(Array.from({ length: 100 }, () => node)));
    const shaded = rects(parseXml(svg)).filter((r) => /^d\d$/.test(r.attributes.class ?? ''));
    expect(shaded).toHaveLength(SVG_DENSITY_MAX_ROWS * SVG_DENSITY_MAX_COLUMNS + 4); // + 4 legend swatches
    expect(svg.length).toBeLessThan(500_000);
  });

  it('follows the mode option', () => {
    const small = formatSvg(seed, { mode: 'density' });
    expect(small).not.toContain(' seg"');
    expect(parseXml(small).name).toBe('svg');
    const detailed = formatSvg(manyNodes(100), { mode: 'detailed' });
    expect(detailed).toContain(' seg"');
    expect(parseXml(detailed).name).toBe('svg');
  });

  it('follows the width option', () => {
    expect(parseXml(formatSvg(seed, { width: 400 })).attributes.width).toBe('400');
  });
});
