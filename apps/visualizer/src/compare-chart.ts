import { policyColor } from '@mems/stats';
import type { PolicyRun } from './compare.js';
import { el, svg } from './dom.js';
import { chartFrame, linePath } from './geometry.js';

/**
 * Draws the comparison's chart: each policy's utilisation (solid) and external fragmentation
 * (dashed) from step 0 to the last step, 0% to 100%, with a cursor at the current step. The
 * chart is laid out 1:1 for its container's width (see `chartFrame`), so its lines span it.
 * @param runs one run per policy (see `comparePolicies`).
 * @param step the current step (the cursor).
 * @param lastStep the last step (the right edge).
 * @param containerWidth the width to fill, in CSS pixels (0 before layout: a default width).
 * @returns the `<svg data-testid="compare-chart">`.
 */
export function drawCompareChart(
  runs: readonly PolicyRun[],
  step: number,
  lastStep: number,
  containerWidth: number,
): SVGElement {
  const frame = chartFrame(containerWidth);
  const { plotWidth: width, plotHeight: height } = frame;
  const x = (i: number) => (lastStep === 0 ? 0 : (i / lastStep) * width);
  return svg(
    'svg',
    {
      width: frame.width,
      height: frame.height,
      viewBox: `0 0 ${frame.width} ${frame.height}`,
      class: 'chart',
      role: 'img',
      'data-testid': 'compare-chart',
      'aria-label': 'utilisation (solid) and fragmentation (dashed) of each policy over the steps',
    },
    svg(
      'g',
      { class: 'plot', transform: `translate(${frame.plotLeft} ${frame.plotTop})` },
      svg('line', { x1: 0, y1: height, x2: width, y2: height, class: 'axis' }),
      svg('line', { x1: 0, y1: 0, x2: 0, y2: height, class: 'axis' }),
      svg('text', { x: -6, y: 4, 'text-anchor': 'end', class: 'tick' }, '100%'),
      svg('text', { x: -6, y: height / 2 + 4, 'text-anchor': 'end', class: 'tick' }, '50%'),
      svg('text', { x: -6, y: height + 4, 'text-anchor': 'end', class: 'tick' }, '0%'),
      svg('text', { x: 0, y: height + 18, class: 'tick' }, 'step 0'),
      svg('text', { x: width, y: height + 18, 'text-anchor': 'end', class: 'tick' }, `step ${lastStep}`),
      svg('line', { x1: x(step), y1: 0, x2: x(step), y2: height, class: 'cursor' }),
      ...runs.flatMap((run, k) => [
        svg('path', {
          d: linePath(run.steps, run.utilisation, lastStep, width, height),
          stroke: policyColor(run.policy),
          'stroke-width': 7 - 1.6 * k,
          class: 'util',
          transform: `translate(0 ${-k * 0.8})`,
          'data-policy': run.policy,
        }),
        svg('path', {
          d: linePath(run.steps, run.fragmentation, lastStep, width, height),
          stroke: policyColor(run.policy),
          'stroke-width': 6 - 1.4 * k,
          class: 'frag',
          transform: `translate(0 ${k * 0.8})`,
        }),
      ]),
    ),
  );
}

/** A swatch and its label, kept on one line (a narrow screen wraps between items, never inside one). */
const legendItem = (swatch: HTMLElement, label: string) =>
  el('span', { class: 'legend-item' }, swatch, ` ${label}`);

/**
 * The chart's legend: each policy's colour, then what solid and dashed lines mean.
 * @param runs the runs drawn.
 * @returns the legend element.
 */
export function compareChartLegend(runs: readonly PolicyRun[]): HTMLElement {
  return el(
    'div',
    { class: 'legend' },
    ...runs.map((run) =>
      legendItem(
        el('span', { class: 'line-swatch', style: `border-color:${policyColor(run.policy)}` }),
        run.policy,
      ),
    ),
    legendItem(el('span', { class: 'line-swatch', style: 'border-color:#333' }), 'utilisation (solid)'),
    legendItem(
      el('span', { class: 'line-swatch dashed', style: 'border-color:#333' }),
      'fragmentation (dashed)',
    ),
  );
}
