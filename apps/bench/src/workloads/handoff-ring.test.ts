import { describe, expect, it } from 'vitest';
import { HandoffRing, handoffRingBuffer } from './handoff-ring.js';

describe('the hand-off ring between two workers', () => {
  it('gives back what was pushed, oldest first, across many wrap-arounds', () => {
    const ring = new HandoffRing(handoffRingBuffer(8));
    let next = 1;
    let expected = 1;
    for (let round = 0; round < 100; round++) {
      for (let k = 0; k < (round % 8) + 1; k++) expect(ring.push(next++ * 4096.5)).toBe(true);
      while (ring.canPop()) expect(ring.pop()).toBe(expected++ * 4096.5);
    }
    expect(expected).toBe(next);
    expect(ring.pop()).toBe(-1);
  });

  it('refuses a push when full and keeps every entry', () => {
    const ring = new HandoffRing(handoffRingBuffer(4));
    for (let k = 0; k < 4; k++) expect(ring.push(k)).toBe(true);
    expect(ring.hasRoom()).toBe(false);
    expect(ring.push(99)).toBe(false);
    expect([ring.pop(), ring.pop(), ring.pop(), ring.pop(), ring.pop()]).toEqual([0, 1, 2, 3, -1]);
    expect(ring.hasRoom()).toBe(true);
  });

  it('needs a power-of-two capacity', () => {
    expect(() => handoffRingBuffer(6)).toThrow(RangeError);
    expect(() => handoffRingBuffer(0)).toThrow(RangeError);
  });
});
