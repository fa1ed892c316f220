import { describe, expect, it } from 'vitest';
import { HandoffRing, handoffRingBuffer, RING_HEAD, RING_TAIL } from './handoff-ring.js';

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

  it.each([
    ['from position 0', 0],
    ['across the 2^31 wrap of the shared int32 positions', 2 ** 31 - 2],
  ])(
    'serves a producer and a consumer that each have their own object over the buffer, through full and empty, %s',
    (_, from) => {
      const buffer = handoffRingBuffer(4);
      const header = new Int32Array(buffer, 0, RING_TAIL + 1);
      header[RING_HEAD] = from;
      header[RING_TAIL] = from;
      const producer = new HandoffRing(buffer);
      const consumer = new HandoffRing(buffer);
      let next = 0;
      let expected = 0;
      for (let round = 0; round < 50; round++) {
        // The producer fills what the consumer freed since it last looked; the consumer takes some.
        while (producer.push(next)) next++;
        expect(next - expected).toBe(4);
        for (let k = 0; k < 1 + (round % 4); k++) expect(consumer.pop()).toBe(expected++);
        expect(producer.hasRoom()).toBe(true);
      }
      while (consumer.canPop()) expect(consumer.pop()).toBe(expected++);
      expect(consumer.pop()).toBe(-1);
      expect(expected).toBe(next);
      expect(header[RING_TAIL]! < 0).toBe(from > 0); // the second run did wrap
      // A consumer made later starts where the ring is, not at 0.
      producer.push(next);
      expect(new HandoffRing(buffer).pop()).toBe(next);
    },
  );

  it("keeps the producer's and the consumer's positions on different 64-byte cache lines", () => {
    expect(Math.abs(RING_TAIL - RING_HEAD) * 4).toBeGreaterThanOrEqual(64);
  });

  it('needs a power-of-two capacity', () => {
    expect(() => handoffRingBuffer(6)).toThrow(RangeError);
    expect(() => handoffRingBuffer(0)).toThrow(RangeError);
  });
});
