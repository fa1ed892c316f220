import type { HeapSnapshot, NodeSnapshot, SegmentSnapshot } from '@mems/core';
import { el, replace } from './dom.js';
import { errorText } from './execute-command.js';
import { countText, rangeText } from './format-text.js';
import { holeHistory, holeRefusalText } from './hole-history.js';
import { describeIndexPosition } from './policy-index.js';
import type { StepRecord, StepState } from './timeline.js';

/**
 * Finds the segment that starts at an address.
 * @param snapshot the heap.
 * @param start the segment's first address.
 * @returns the segment and its node, or `null` when no segment starts there.
 */
export function findSegment(
  snapshot: HeapSnapshot,
  start: number,
): { segment: SegmentSnapshot; node: NodeSnapshot } | null {
  for (const node of snapshot.nodes)
    for (const segment of node.segments) if (segment.start === start) return { segment, node };
  return null;
}

/**
 * Draws what the page knows of the selected segment at this step: its virtual range, its
 * physical address (`mems_get`, or its refusal for a hole), its node, its place in the policy's
 * index, a block's first bytes and a hole's history (never allocated, or given back by a free);
 * or a hint when nothing is selected.
 * @param target the element to fill (its children are replaced).
 * @param state the current step's state (its live heap answers `mems_get`).
 * @param steps the timeline's steps (a hole's history: whether any block ever held its bytes).
 * @param selected the start of the selected segment, `null` when none.
 */
export function drawSegmentDetails(
  target: HTMLElement,
  state: StepState,
  steps: readonly StepRecord[],
  selected: number | null,
): void {
  if (selected === null) {
    replace(
      target,
      el('p', {
        class: 'muted',
        text: 'Select a segment (click, or Tab to it and press Enter) to see its addresses and its place in the policy.',
      }),
    );
    return;
  }
  const snapshot = state.snapshot;
  const found = findSegment(snapshot, selected);
  if (found === null) {
    replace(target, el('p', { class: 'muted', text: `No segment starts at ${selected} at this step.` }));
    return;
  }
  const { segment, node } = found;
  let physical: string;
  if (segment.kind === 'PROCESS') {
    try {
      physical = `mems_get(${segment.start}) = ${state.heap.translate(segment.start)}`;
    } catch (error) {
      physical = errorText(error);
    }
  } else {
    let refusal = '';
    try {
      state.heap.translate(segment.start);
    } catch (error) {
      refusal = errorText(error);
    }
    const base = BigInt(node.physicalAddress) + BigInt(segment.start - node.start);
    physical = `its bytes are at physical ${base}, but mems_get refuses a hole: ${holeRefusalText(refusal)}`;
  }
  let bytes = '';
  if (segment.kind === 'PROCESS') {
    const view = state.heap.view(segment.start, Math.min(16, segment.size));
    bytes =
      Array.from(view, (b) => b.toString(16).padStart(2, '0')).join(' ') + (segment.size > 16 ? ' …' : '');
  }
  replace(
    target,
    el(
      'dl',
      {},
      el('dt', { text: 'segment' }),
      el('dd', {
        text: `${segment.kind === 'PROCESS' ? 'P' : 'H'}${rangeText(segment)}: ${segment.kind}, ${segment.size} bytes`,
      }),
      el('dt', { text: 'virtual' }),
      el('dd', { text: `${segment.start} to ${segment.lastAddress}` }),
      el('dt', { text: 'physical' }),
      el('dd', { 'data-testid': 'physical', text: physical }),
      el('dt', { text: 'node' }),
      el('dd', {
        text: `MAIN${rangeText(node)}, ${countText(node.pages, 'page')} at physical ${node.physicalAddress}`,
      }),
      el('dt', { text: 'policy index' }),
      el('dd', {
        'data-testid': 'index-position',
        text: describeIndexPosition(snapshot, segment, state.cursor),
      }),
      segment.kind === 'HOLE' && el('dt', { text: 'history' }),
      segment.kind === 'HOLE' &&
        el('dd', { 'data-testid': 'hole-history', text: holeHistory(steps, state.index, segment).text }),
      bytes !== '' && el('dt', { text: 'first bytes' }),
      bytes !== '' && el('dd', {}, el('code', { text: bytes })),
    ),
  );
}
