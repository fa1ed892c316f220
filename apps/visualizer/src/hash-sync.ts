import { decodeHash, encodeHash, type PageState } from './url-state.js';

/**
 * Keeps the page's state in the URL hash: writes it without adding history entries, and reads
 * it back, telling the page's own writes from an address the reader changed.
 */
export class HashSync {
  private last = '';

  /** @param location where the hash is read and written. */
  constructor(private readonly location: Location) {}

  /** Whether the address has a hash to restore. */
  get hasState(): boolean {
    return this.location.hash.length > 1;
  }

  /** Whether the hash is the one this page wrote last (a `hashchange` to it needs no restore). */
  get isOwn(): boolean {
    return this.location.hash.replace(/^#/, '') === this.last;
  }

  /**
   * Writes a state into the hash (replacing the history entry) when it differs from the last one.
   * @param state the page's state.
   */
  write(state: PageState): void {
    const hash = encodeHash(state);
    if (hash === this.last) return;
    this.last = hash;
    history.replaceState(null, '', `#${hash}`);
  }

  /**
   * Reads the hash.
   * @returns the state, and what could not be read (see `decodeHash`).
   */
  read(): { state: PageState; problems: string[] } {
    return decodeHash(this.location.hash);
  }
}
