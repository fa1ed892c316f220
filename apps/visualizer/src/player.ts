import type { Session } from './session.js';

/** Milliseconds between steps while playing. */
export const PLAY_INTERVAL_MS = 700;

/**
 * Play and pause: while playing, the session moves one step forwards every
 * {@link PLAY_INTERVAL_MS} and stops at the last step.
 */
export class Player {
  private timer: ReturnType<typeof setInterval> | null = null;

  /**
   * @param session the page's session (the one that moves).
   * @param onStep called after every step played (to redraw the page).
   * @param intervalMs milliseconds between steps.
   */
  constructor(
    private readonly session: Session,
    private readonly onStep: () => void,
    private readonly intervalMs = PLAY_INTERVAL_MS,
  ) {}

  /** Whether it is playing. */
  get playing(): boolean {
    return this.timer !== null;
  }

  /** Pauses when playing; else plays, from step 0 when the session is at its last step. */
  toggle(): void {
    if (this.timer !== null) {
      this.stop();
      return;
    }
    const session = this.session;
    if (session.step >= session.lastStep) session.goTo(0);
    this.timer = setInterval(() => {
      session.goTo(session.step + 1);
      if (session.step >= session.lastStep) this.stop();
      this.onStep();
    }, this.intervalMs);
  }

  /** Stops playing (nothing when it is not). */
  stop(): void {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
