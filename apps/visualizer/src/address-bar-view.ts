import type { HeapSnapshot, SegmentSnapshot } from '@mems/core';
import { el, replace } from './dom.js';
import { rangeText } from './format-text.js';
import {
  type AddressExtent,
  addressExtent,
  layoutAddressBar,
  NODE_EDGE_MIN_GAP_PX,
  nodeEdgeMarks,
} from './geometry.js';
import { type SegmentLinks, segmentButton } from './segment-button.js';

/**
 * Draws the address-order bar of a heap's whole virtual space (see `layoutAddressBar`):
 * segments, unmapped gaps, node boundaries (thin ticks, see {@link drawNodeEdges}), and the
 * first and last address under it.
 * @param target the element to fill (its children are replaced).
 * @param snapshot the heap.
 * @param links the selection, the touched block and the actions of each segment; `null` draws
 *   a picture only (the comparison's small bars), without buttons.
 * @param extent the addresses the bar spans (default: the heap's own; the comparison gives every
 *   policy's bar the same one, so that the bars share a scale).
 */
export function drawAddressBar(
  target: HTMLElement,
  snapshot: HeapSnapshot,
  links: SegmentLinks | null,
  extent: AddressExtent | null = addressExtent(snapshot),
): void {
  const pieces = layoutAddressBar(snapshot, extent);
  if (pieces.length === 0) {
    replace(target, el('p', { class: 'muted', text: 'No virtual addresses yet.' }));
    return;
  }
  const bar = el('div', { class: 'address-bar', role: 'group', 'aria-label': 'virtual address space' });
  for (const piece of pieces) {
    const style = `left:${piece.left}%;width:${piece.width}%`;
    if (piece.kind === 'GAP') {
      bar.append(el('div', { class: 'bar-piece gap', style, title: `not mapped ${rangeText(piece)}` }));
      continue;
    }
    const segment: SegmentSnapshot = {
      kind: piece.kind,
      start: piece.start,
      lastAddress: piece.lastAddress,
      size: piece.lastAddress - piece.start + 1,
    };
    if (links !== null) {
      const b = segmentButton(segment, links, 'bar-piece');
      b.setAttribute('style', style);
      b.setAttribute('title', `${piece.kind === 'PROCESS' ? 'P' : 'H'}${rangeText(piece)} ${segment.size} B`);
      b.tabIndex = -1;
      bar.append(b);
    } else {
      bar.append(el('div', { class: `bar-piece ${piece.kind === 'PROCESS' ? 'process' : 'hole'}`, style }));
    }
  }
  const first = pieces[0]!.start;
  const last = pieces[pieces.length - 1]!.lastAddress;
  replace(
    target,
    bar,
    el('div', { class: 'bar-axis' }, el('span', { text: String(first) }), el('span', { text: String(last) })),
  );
  if (target.isConnected) drawNodeEdges(target, snapshot, extent);
}

/**
 * Marks the node boundaries on a drawn address bar (see `nodeEdgeMarks`): thin ticks at least
 * {@link NODE_EDGE_MIN_GAP_PX} pixels apart, for the bar's width now. {@link drawAddressBar}
 * calls it when its target is in the page; call it yourself once a bar drawn elsewhere is.
 * @param target the element {@link drawAddressBar} filled.
 * @param snapshot the same heap.
 * @param extent the same extent.
 */
export function drawNodeEdges(
  target: HTMLElement,
  snapshot: HeapSnapshot,
  extent: AddressExtent | null = addressExtent(snapshot),
): void {
  const bar = target.querySelector<HTMLElement>('.address-bar');
  if (bar === null) return;
  for (const old of bar.querySelectorAll('.node-edge')) old.remove();
  for (const mark of nodeEdgeMarks(snapshot, extent, bar.clientWidth))
    bar.append(
      el('div', {
        class: mark.boundaries > 1 ? 'node-edge many' : 'node-edge',
        style: `left:${mark.left}%`,
        'data-boundaries': mark.boundaries,
      }),
    );
}
