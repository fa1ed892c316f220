import { describe, expect, it } from 'vitest';
import { HandOffRings } from './hand-off-rings.js';

describe('the hand-off rings', () => {
  it('deliver each pair’s blocks in order, refuse a full ring, wrap around, and list what is in flight', () => {
    const buffer = HandOffRings.allocate(3, 4);
    const sender = new HandOffRings(buffer, 3, 4);
    const receiver = new HandOffRings(buffer, 3, 4);
    for (let i = 0; i < 4; i++)
      expect(sender.send(0, 2, { address: 100 * i, size: i + 1, id: i })).toBe(true);
    expect(sender.send(0, 2, { address: 999, size: 1, id: 9 })).toBe(false);
    expect(sender.send(1, 2, { address: 5000, size: 8, id: 77 })).toBe(true);
    expect(receiver.inFlight().map((b) => [b.id, b.from, b.to])).toEqual([
      [0, 0, 2],
      [1, 0, 2],
      [2, 0, 2],
      [3, 0, 2],
      [77, 1, 2],
    ]);
    expect(receiver.receive(2, 0)).toEqual({ address: 0, size: 1, id: 0 });
    expect(receiver.receive(2, 0)).toEqual({ address: 100, size: 2, id: 1 });
    expect(receiver.receive(1, 0)).toBeNull(); // another pair's ring
    for (let i = 4; i < 6; i++)
      expect(sender.send(0, 2, { address: 100 * i, size: i + 1, id: i })).toBe(true);
    expect([2, 3, 4, 5].map(() => receiver.receive(2, 0)?.id)).toEqual([2, 3, 4, 5]);
    expect(receiver.receive(2, 0)).toBeNull();
    expect(receiver.receive(2, 1)?.id).toBe(77);
    expect(receiver.inFlight()).toEqual([]);
  });
});
