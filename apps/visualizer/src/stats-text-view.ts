import { el, replace } from './dom.js';

/**
 * Cuts the stats text into the pieces a line may break between: on a chain line
 * (`MAIN[a:b]-> P[..] <-> H[..] <-> NULL`) each element with the arrow after it
 * (`P[1000:1999] <->`), the spaces between them on their own; every other line whole. Joined,
 * the pieces are the text, byte for byte.
 * @param text the `mems_print_stats` text.
 * @returns one array of pieces per line, each line's last piece ending with its `\n` (when the text has one).
 */
export function statsTextPieces(text: string): string[][] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return lines.map((line) => {
    if (!line.startsWith('MAIN[')) return [line];
    // An element and its arrow ("P[1000:1999] <->", "MAIN[1000:5095]->"), or a space.
    return line.match(/ |[^ \n]+(?: <->)?\n?/g) ?? [line];
  });
}

/**
 * Shows the stats text in its `<pre>`: a chain line wraps only between elements (an element and
 * its arrow stay together, and the wrapped part is indented), so `P[1000:1999]` and `<->` are
 * never split; the element's text is exactly `text`.
 * @param pre the `<pre data-testid="stats-text">` (its children are replaced).
 * @param text the `mems_print_stats` text.
 */
export function drawStatsText(pre: HTMLElement, text: string): void {
  replace(
    pre,
    ...statsTextPieces(text).map((pieces) =>
      pieces.length === 1
        ? el('span', { class: 'stats-line', text: pieces[0]! })
        : el(
            'span',
            { class: 'stats-line stats-chain' },
            ...pieces.map((p) => (p === ' ' ? p : el('span', { class: 'stats-unit', text: p }))),
          ),
    ),
  );
}
