import { el } from './dom.js';
import { NODE_EDGE_MIN_GAP_PX } from './geometry.js';

const legendItem = (swatch: string, label: string) =>
  el('span', { class: 'legend-item' }, el('span', { class: `swatch ${swatch}` }), ` ${label}`);

/**
 * The legend of the memory views: MAIN node, PROCESS, HOLE, unmapped, node boundary, touched and selected.
 * @returns the legend element (`data-testid="legend"`).
 */
export function memoryLegend(): HTMLElement {
  return el(
    'div',
    { class: 'legend', 'data-testid': 'legend', 'aria-label': 'legend' },
    legendItem('main', 'MAIN node (one mapping)'),
    legendItem('process', 'P: PROCESS (allocated)'),
    legendItem('hole', 'H: HOLE (free)'),
    legendItem('gap', 'not mapped'),
    legendItem('edge', 'node boundary (on the address bar)'),
    legendItem('touched', 'touched by this step'),
    legendItem('selected', 'selected'),
  );
}

/**
 * The legend of the comparison's address bars: what their colours and marks mean.
 * @returns the legend element (`data-testid="bar-legend"`).
 */
export function addressBarLegend(): HTMLElement {
  return el(
    'div',
    { class: 'legend', 'data-testid': 'bar-legend', 'aria-label': 'address bar legend' },
    el('span', { class: 'legend-title', text: 'Address bars, lowest address on the left:' }),
    legendItem('process', 'block (PROCESS)'),
    legendItem('hole', 'hole (free)'),
    legendItem('gap', 'not mapped'),
    legendItem('edge', `node boundary (closer than ${NODE_EDGE_MIN_GAP_PX} px: one tick)`),
  );
}
