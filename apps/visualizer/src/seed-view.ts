import type { HeapSnapshot } from '@mems/core';
import { type Child, el, replace } from './dom.js';
import { rangeText } from './format-text.js';
import { type SegmentLinks, segmentButton } from './segment-button.js';

/** How many segments the seed picture draws before it says how many more there are. */
export const PICTURE_SEGMENT_LIMIT = 600;

/**
 * Draws the seed's picture of a heap: MAIN nodes down the page, each with its sub-chain of P and
 * H segments as linked buttons (start, end and size), at most {@link PICTURE_SEGMENT_LIMIT}
 * segments.
 * @param target the element to fill (its children are replaced).
 * @param snapshot the heap.
 * @param links the selection, the touched block and the actions of each segment.
 */
export function drawSeedView(target: HTMLElement, snapshot: HeapSnapshot, links: SegmentLinks): void {
  if (snapshot.nodes.length === 0) {
    replace(
      target,
      el('p', {
        class: 'muted',
        text: 'MAIN → NULL: no node yet (nothing is mapped until the first malloc).',
      }),
    );
    return;
  }
  let drawn = 0;
  const rows: Child[] = [];
  for (const node of snapshot.nodes) {
    if (drawn >= PICTURE_SEGMENT_LIMIT) break;
    const chain: Child[] = [];
    for (const segment of node.segments) {
      if (drawn >= PICTURE_SEGMENT_LIMIT) break;
      drawn++;
      const b = segmentButton(segment, links, '');
      b.append(
        el('span', { class: 'seg-kind', text: segment.kind === 'PROCESS' ? 'P' : 'H' }),
        el('span', { class: 'seg-range', text: rangeText(segment) }),
        el('span', { class: 'seg-size', text: `${segment.size} B` }),
      );
      if (chain.length > 0) chain.push(el('span', { class: 'link', 'aria-hidden': 'true', text: '⇄' }));
      chain.push(b);
    }
    // The chain's end stays on the line of its last segment (never a lone "→ NULL" on a new line).
    const nullEnd = el(
      'span',
      { class: 'null' },
      el('span', { class: 'link', 'aria-hidden': 'true', text: '→ ' }),
      'NULL',
    );
    const last = chain.pop();
    chain.push(el('span', { class: 'chain-end' }, last, nullEnd));
    rows.push(
      el(
        'div',
        { class: 'node-row', role: 'group', 'aria-label': `node ${rangeText(node)}` },
        el(
          'div',
          { class: 'main-node' },
          el('strong', { text: 'MAIN' }),
          el('span', { text: rangeText(node) }),
          el('span', { class: 'muted', text: `${node.pages} page${node.pages === 1 ? '' : 's'}` }),
        ),
        el('span', { class: 'link', 'aria-hidden': 'true', text: '→' }),
        el('div', { class: 'chain' }, ...chain),
      ),
    );
  }
  const total = snapshot.counters.segments;
  if (drawn < total)
    rows.push(
      el('p', { class: 'muted', text: `… and ${total - drawn} more segments (see the address bar)` }),
    );
  rows.push(el('p', { class: 'null-row', text: 'MAIN → NULL' }));
  replace(target, ...rows);
}
