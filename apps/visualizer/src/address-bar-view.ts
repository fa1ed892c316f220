import type { HeapSnapshot, SegmentSnapshot } from '@mems/core';
import { el, replace } from './dom.js';
import { rangeText } from './format-text.js';
import { type AddressExtent, addressExtent, layoutAddressBar } from './geometry.js';
import { type SegmentLinks, segmentButton } from './segment-button.js';

/**
 * Draws the address-order bar of a heap's whole virtual space (see `layoutAddressBar`):
 * segments, unmapped gaps, node edges, and the first and last address under it.
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
  for (const node of snapshot.nodes)
    bar.append(
      el('div', { class: 'node-edge', style: `left:${((node.start - first) / (last - first + 1)) * 100}%` }),
    );
  replace(
    target,
    bar,
    el('div', { class: 'bar-axis' }, el('span', { text: String(first) }), el('span', { text: String(last) })),
  );
}
