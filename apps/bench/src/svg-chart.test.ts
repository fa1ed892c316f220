import { describe, expect, it } from 'vitest';
import { renderLogLogChart } from './svg-chart.js';

const OPTIONS = { title: 'T <&>', xLabel: 'x', yLabel: 'y', width: 600, height: 400 };

function polylinePoints(svg: string): [number, number][][] {
  return [...svg.matchAll(/<polyline[^>]* points="([^"]+)"/g)].map((m) =>
    m[1]!.split(' ').map((p) => p.split(',').map(Number) as [number, number]),
  );
}

describe('renderLogLogChart', () => {
  const series = [
    {
      label: 'a',
      points: [
        { x: 1000, y: 10 },
        { x: 10000, y: 100 },
        { x: 100000, y: 1000 },
      ],
    },
    {
      label: 'b & c',
      dash: '6 3',
      points: [
        { x: 1000, y: 20, min: 15, max: 30 },
        { x: 10000, y: 20 },
      ],
    },
    { label: 'none', points: [] },
  ];
  const svg = renderLogLogChart(series, OPTIONS);

  it('is one well-formed SVG element with escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('T &lt;&amp;&gt;');
    expect(svg).toContain('b &amp; c');
    expect(svg).toContain('none (not run)');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('spaces decades evenly (log scale) on both axes', () => {
    const [a] = polylinePoints(svg);
    expect(a).toHaveLength(3);
    const [p0, p1, p2] = a!;
    expect(p1![0] - p0![0]).toBeCloseTo(p2![0] - p1![0], 0);
    // y grows upwards: a larger value is drawn higher (smaller y coordinate), by equal steps per decade.
    expect(p0![1] - p1![1]).toBeCloseTo(p1![1] - p2![1], 0);
    expect(p0![1]).toBeGreaterThan(p1![1]);
  });

  it('draws a dashed line and min–max bars where given', () => {
    expect(svg).toContain('stroke-dasharray="6 3"');
    expect(svg.match(/<circle/g)).toHaveLength(5);
  });

  it('labels decade ticks with k and M', () => {
    expect(svg).toContain('>1k</text>');
    expect(svg).toContain('>100k</text>');
  });

  it('draws guides and is deterministic', () => {
    const withGuide = renderLogLogChart(series, { ...OPTIONS, guides: [{ y: 60, label: 'target' }] });
    expect(withGuide).toContain('>target</text>');
    expect(renderLogLogChart(series, OPTIONS)).toBe(svg);
  });

  it('refuses to draw nothing', () => {
    expect(() => renderLogLogChart([{ label: 'x', points: [] }], OPTIONS)).toThrow(RangeError);
  });
});
