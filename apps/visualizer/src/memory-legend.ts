import { el } from './dom.js';

const legendItem = (swatch: string, label: string) =>
  el('span', { class: 'legend-item' }, el('span', { class: `swatch ${swatch}` }), ` ${label}`);

/**
 * The legend of the memory views: MAIN node, PROCESS, HOLE, unmapped, touched and selected.
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
    legendItem('touched', 'touched by this step'),
    legendItem('selected', 'selected'),
  );
}
