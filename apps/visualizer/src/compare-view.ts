import { computeMetrics, policyColor } from '@mems/stats';
import { drawAddressBar, drawNodeEdges } from './address-bar-view.js';
import {
  comparePolicies,
  type PolicyRun,
  type PortableProgram,
  portableSnapshotAt,
  toPortableProgram,
} from './compare.js';
import { compareChartLegend, drawCompareChart } from './compare-chart.js';
import { el, replace } from './dom.js';
import { errorText } from './execute-command.js';
import { countText, percentText } from './format-text.js';
import { chartFrame, commonExtent } from './geometry.js';
import { addressBarLegend } from './memory-legend.js';

import type { Session } from './session.js';
import type { Timeline } from './timeline.js';
import type { VisualOptions } from './visual-heap.js';

/**
 * The "Compare policies" section: a `<details>` that, while open, shows the page's program under
 * the four policies (one chart over the steps, and each policy's address bar and figures at the
 * current step). The runs are kept until the program or the options change; the chart is
 * redrawn when its width changes.
 */
export class CompareView {
  /** The `<details data-testid="compare">`. */
  readonly element: HTMLDetailsElement;
  private readonly body = el('div', { class: 'compare-body' });
  private cache: {
    timeline: Timeline;
    options: VisualOptions;
    program: PortableProgram;
    runs: PolicyRun[];
  } | null = null;
  /** The width the chart was last laid out for. */
  private chartWidth = 0;
  private resizing: number | null = null;

  /**
   * @param session the page's session (its `compare` flag says whether the section is open).
   * @param onToggle called after the reader opened or closed the section (and the session's flag follows).
   */
  constructor(
    private readonly session: Session,
    onToggle: () => void,
  ) {
    this.element = el(
      'details',
      {
        class: 'compare',
        'data-testid': 'compare',
        ontoggle: () => {
          if (session.compare !== this.element.open) {
            session.compare = this.element.open;
            onToggle();
          }
        },
      },
      el('summary', { text: 'Compare policies: first fit, next fit, best fit and TLSF on the same program' }),
      this.body,
    );
    // Redrawn in the next frame, not inside the observer (a redraw resizes what it observes).
    new ResizeObserver(() => {
      if (this.resizing !== null) return;
      this.resizing = requestAnimationFrame(() => {
        this.resizing = null;
        if (
          session.compare &&
          this.body.clientWidth > 0 &&
          chartFrame(this.body.clientWidth).width !== this.chartWidth
        )
          this.draw();
      });
    }).observe(this.body);
  }

  /** Opens or closes the section as the session says, and draws it when open. */
  update(): void {
    this.element.open = this.session.compare;
    if (this.session.compare) this.draw();
  }

  private draw(): void {
    const session = this.session;
    const timeline = session.timeline;
    if (this.cache === null || this.cache.timeline !== timeline || this.cache.options !== session.options) {
      try {
        const program = toPortableProgram(timeline);
        this.cache = {
          timeline,
          options: session.options,
          program,
          runs: comparePolicies(session.options, program),
        };
      } catch (error) {
        replace(this.body, el('p', { class: 'error', text: errorText(error) }));
        return;
      }
    }
    const { runs, program } = this.cache;
    const chart = drawCompareChart(runs, session.step, session.lastStep, this.body.clientWidth);
    this.chartWidth = Number(chart.getAttribute('width'));
    const snapshots = runs.map((run) =>
      portableSnapshotAt(session.options, run.policy, program, session.step),
    );
    // One scale for every policy's bar: the same address at the same place, and a policy that
    // maps less shows the rest as not mapped.
    const extent = commonExtent(snapshots);
    const bars: HTMLElement[] = [];
    const panels = runs.map((run, k) => {
      const snapshot = snapshots[k]!;
      const bar = el('div', { class: 'address-bar-wrap small' });
      drawAddressBar(bar, snapshot, null, extent);
      bars.push(bar);
      const metrics = computeMetrics(snapshot);
      return el(
        'div',
        { class: 'policy-panel', 'data-testid': 'compare-policy', 'data-policy': run.policy },
        el(
          'h3',
          {},
          el('span', { class: 'line-swatch', style: `border-color:${policyColor(run.policy)}` }),
          ` ${run.policy}`,
        ),
        bar,
        el(
          'p',
          { class: 'figures' },
          // Each figure stays on one line: a narrow panel wraps between figures, never inside one.
          ...[
            `utilisation ${percentText(metrics.utilisation)}`,
            `fragmentation ${percentText(metrics.externalFragmentation)}`,
            countText(snapshot.counters.pagesMapped, 'page'),
            countText(snapshot.nodes.length, 'node'),
            countText(snapshot.counters.holes, 'hole'),
          ].flatMap((figure, i) => [i > 0 && ' · ', el('span', { class: 'figure', text: figure })]),
        ),
        run.failures.count > 0 &&
          el('p', {
            class: 'error',
            text: `${countText(run.failures.count, 'step')} failed: ${run.failures.first.join('; ')}`,
          }),
      );
    });
    replace(
      this.body,
      el('p', {
        class: 'help',
        text:
          'Blocks are named by the step that made them, so a free frees the same block under every policy. Each panel shows step ' +
          `${session.step}.`,
      }),
      chart,
      compareChartLegend(runs),
      addressBarLegend(),
      el('div', { class: 'policy-panels' }, ...panels),
    );
    // The node boundaries need the bars' widths: marked once the bars are in the page.
    bars.forEach((bar, k) => {
      drawNodeEdges(bar, snapshots[k]!, extent);
    });
  }
}
