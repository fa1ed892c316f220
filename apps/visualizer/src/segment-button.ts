import type { SegmentSnapshot } from '@mems/core';
import { el } from './dom.js';

/**
 * What a drawn segment links to: the page's selection, the step's touched block, and the
 * actions that select a segment and highlight it in every view.
 */
export interface SegmentLinks {
  /** The start of the selected segment, `null` when none. */
  readonly selected: number | null;
  /** An address in the block the current step touched, `null` when none. */
  readonly touched: number | null;
  /** Selects the segment that starts at `start`. */
  select(start: number): void;
  /** Highlights (or stops highlighting) the segment that starts at `start`, in every view. */
  highlight(start: number, on: boolean): void;
}

/**
 * A segment as a button: selected on click (or Enter), highlighted in every view on hover or
 * focus, marked when it is selected or touched by the step.
 * @param segment the segment.
 * @param links the selection, the touched block and the actions.
 * @param extraClass more classes (`''` for none).
 * @returns the button (its content is the caller's).
 */
export function segmentButton(
  segment: SegmentSnapshot,
  links: SegmentLinks,
  extraClass: string,
): HTMLButtonElement {
  const kind = segment.kind === 'PROCESS' ? 'process' : 'hole';
  const { selected, touched } = links;
  const isTouched = touched !== null && segment.start <= touched && touched <= segment.lastAddress;
  return el('button', {
    type: 'button',
    class: `seg ${kind}${selected === segment.start ? ' selected' : ''}${isTouched ? ' touched' : ''} ${extraClass}`,
    'data-start': segment.start,
    'data-testid': 'segment',
    'aria-pressed': String(selected === segment.start),
    'aria-label': `${segment.kind} ${segment.start} to ${segment.lastAddress}, ${segment.size} bytes`,
    onclick: () => links.select(segment.start),
    onmouseenter: () => links.highlight(segment.start, true),
    onmouseleave: () => links.highlight(segment.start, false),
    onfocus: () => links.highlight(segment.start, true),
    onblur: () => links.highlight(segment.start, false),
  });
}

/**
 * Highlights a segment in every view that draws it (each marks it with `data-start`).
 * @param root the page.
 * @param start the segment's start.
 * @param on whether to highlight it or stop.
 */
export function highlightSegment(root: ParentNode, start: number, on: boolean): void {
  for (const node of root.querySelectorAll(`[data-start="${start}"]`)) node.classList.toggle('hovered', on);
}
