import { el } from './dom.js';

/** How long "Link copied" shows before the button reads "Copy link" again. */
const COPIED_MS = 1500;

/**
 * The "Copy link" button: copies the page's address (whose hash carries the whole view) to the
 * clipboard, and says so; where the clipboard is not available (an insecure origin, a refusal)
 * it asks the reader to copy the address bar instead.
 * @param location where the page's address is read.
 * @returns the button (`data-testid="share"`).
 */
export function createShareButton(location: Location): HTMLButtonElement {
  const button = el('button', {
    type: 'button',
    'data-testid': 'share',
    text: 'Copy link',
    onclick: () => {
      const copying = navigator.clipboard?.writeText(location.href);
      if (copying === undefined) {
        button.textContent = 'Copy the address bar';
        return;
      }
      copying.then(
        () => {
          button.textContent = 'Link copied';
          setTimeout(() => (button.textContent = 'Copy link'), COPIED_MS);
        },
        () => {
          button.textContent = 'Copy the address bar';
        },
      );
    },
  });
  return button;
}
