import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Player } from './player.js';
import { Session } from './session.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Player', () => {
  it('plays from step 0 when at the last step, one step per interval, and stops at the last step', () => {
    const session = new Session();
    session.chooseScenario('exact-fit');
    const last = session.lastStep;
    expect(session.step).toBe(last);
    const onStep = vi.fn();
    const player = new Player(session, onStep, 100);
    player.toggle();
    expect(player.playing).toBe(true);
    expect(session.step).toBe(0);
    vi.advanceTimersByTime(100);
    expect(session.step).toBe(1);
    expect(onStep).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(100 * (last - 1));
    expect(session.step).toBe(last);
    expect(player.playing).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(onStep).toHaveBeenCalledTimes(last);
  });

  it('pauses where it is, and plays on from there', () => {
    const session = new Session();
    session.chooseScenario('merge-cases');
    session.goTo(2);
    const player = new Player(session, () => {}, 100);
    player.toggle();
    vi.advanceTimersByTime(300);
    expect(session.step).toBe(5);
    player.toggle();
    expect(player.playing).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(session.step).toBe(5);
    player.toggle();
    vi.advanceTimersByTime(100);
    expect(session.step).toBe(6);
    player.stop();
    player.stop();
    expect(player.playing).toBe(false);
  });
});
