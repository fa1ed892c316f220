/** One line of the chart. */
export interface ChartSeries {
  readonly label: string;
  /** Points with x > 0 and y > 0; min/max draw an error bar when given. */
  readonly points: readonly {
    readonly x: number;
    readonly y: number;
    readonly min?: number;
    readonly max?: number;
  }[];
  /** The line's SVG `stroke-dasharray` (for example `'6 3'`); solid when absent or `''`. */
  readonly dash?: string;
  /** Stroke colour; default: the next colour of a fixed palette. */
  readonly color?: string;
}

/** A horizontal reference line (a target). */
export interface ChartGuide {
  readonly y: number;
  readonly label: string;
}

/** Options of {@link renderLogLogChart}. */
export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
  readonly guides?: readonly ChartGuide[];
}

const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
  '#843c39',
];

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const num = (v: number): string => (Math.round(v * 10) / 10).toString();

function tickLabel(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(v);
}

/**
 * Renders line series on log-log axes as a standalone SVG document: decade grid lines with
 * 1-2-5 ticks on y, one coloured polyline per series with min–max bars, dashed guides, and a
 * legend on the right. Deterministic: the same input gives the same bytes.
 * @param series the lines (series without points are listed in the legend only).
 * @param options titles, size and guides.
 * @returns the SVG text.
 * @throws RangeError when no series has a point.
 */
export function renderLogLogChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const width = options.width ?? 900;
  const height = options.height ?? 520;
  const legendWidth = 260;
  const m = { top: 48, right: legendWidth + 20, bottom: 56, left: 72 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) throw new RangeError('no points to draw');
  const ys = [
    ...all.flatMap((p) => [p.y, p.min ?? p.y, p.max ?? p.y]),
    ...(options.guides ?? []).map((g) => g.y),
  ].filter((v) => v > 0);
  const xs = all.map((p) => p.x).filter((v) => v > 0);
  const x0 = 10 ** Math.floor(Math.log10(Math.min(...xs)));
  const x1 = 10 ** Math.ceil(Math.log10(Math.max(...xs)));
  const y0 = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const y1 = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const lx = (x: number): number =>
    m.left + ((Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0) || 1)) * plotW;
  const ly = (y: number): number =>
    m.top + plotH - ((Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0) || 1)) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${num(m.left + plotW / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`,
  );
  // Grid and ticks.
  for (let d = x0; d <= x1 * 1.0001; d *= 10) {
    const x = num(lx(d));
    parts.push(
      `<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + plotH}" stroke="#dddddd"/>`,
      `<text x="${x}" y="${m.top + plotH + 18}" text-anchor="middle">${tickLabel(d)}</text>`,
    );
  }
  for (let d = y0; d <= y1 * 1.0001; d *= 10) {
    for (const k of [1, 2, 5]) {
      const v = d * k;
      if (v > y1 * 1.0001) break;
      const y = num(ly(v));
      parts.push(
        `<line x1="${m.left}" y1="${y}" x2="${m.left + plotW}" y2="${y}" stroke="${k === 1 ? '#cccccc' : '#eeeeee'}"/>`,
        `<text x="${m.left - 6}" y="${y}" text-anchor="end" dy="0.35em">${tickLabel(v)}</text>`,
      );
    }
  }
  parts.push(
    `<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333333"/>`,
    `<text x="${num(m.left + plotW / 2)}" y="${height - 14}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(18 ${num(m.top + plotH / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  for (const g of options.guides ?? []) {
    const y = num(ly(g.y));
    parts.push(
      `<line x1="${m.left}" y1="${y}" x2="${m.left + plotW}" y2="${y}" stroke="#d62728" stroke-dasharray="2 4"/>`,
      `<text x="${num(m.left + plotW - 4)}" y="${num(ly(g.y) - 4)}" text-anchor="end" fill="#d62728" font-size="11">${escapeXml(g.label)}</text>`,
    );
  }
  // Series.
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const dash = s.dash === undefined || s.dash === '' ? '' : ` stroke-dasharray="${escapeXml(s.dash)}"`;
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    if (pts.length > 1)
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.map((p) => `${num(lx(p.x))},${num(ly(p.y))}`).join(' ')}"/>`,
      );
    for (const p of pts) {
      const x = num(lx(p.x));
      if (p.min !== undefined && p.max !== undefined)
        parts.push(
          `<line x1="${x}" y1="${num(ly(p.min))}" x2="${x}" y2="${num(ly(p.max))}" stroke="${color}"/>`,
        );
      parts.push(`<circle cx="${x}" cy="${num(ly(p.y))}" r="3" fill="${color}"/>`);
    }
    const ly0 = m.top + 8 + i * 20;
    const lx0 = width - legendWidth;
    parts.push(
      `<line x1="${lx0}" y1="${ly0}" x2="${lx0 + 24}" y2="${ly0}" stroke="${color}" stroke-width="2"${dash}/>`,
      `<text x="${lx0 + 30}" y="${ly0}" dy="0.35em">${escapeXml(s.label)}${s.points.length === 0 ? ' (not run)' : ''}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
