import { describe, expect, it } from 'vitest';
import { makeChurnSequence } from '../sequence.js';
import { ChurnTrial, compileChurnLoop } from './churn-trial.js';

/** A counting allocator: hands out increasing addresses and remembers what is live. */
class CountingAllocator {
  live = new Set<number>();
  next = 1;
  malloc(size: number): number {
    expect(size).toBeGreaterThan(0);
    this.live.add(this.next);
    return this.next++;
  }
  free(address: number): void {
    expect(this.live.delete(address)).toBe(true);
  }
}

describe('ChurnTrial', () => {
  it('keeps the live count steady: each step frees one live block and allocates one', () => {
    const seq = makeChurnSequence(50, { steps: 300 });
    const target = new CountingAllocator();
    const trial = new ChurnTrial(target, { malloc: 'malloc', free: 'free' }, seq);
    expect(target.live.size).toBe(50);
    expect(trial.time(1000)).toBeGreaterThan(0);
    expect(target.next).toBe(1 + 50 + 1000);
    expect(target.live.size).toBe(50);
    trial.drain();
    expect(target.live.size).toBe(0);
  });

  it('gives each loop its own compiled function', () => {
    const m = { malloc: 'malloc', free: 'free' };
    expect(compileChurnLoop(m)).not.toBe(compileChurnLoop(m));
  });

  it('refuses a method name that is not an identifier, and a target without the method', () => {
    expect(() => compileChurnLoop({ malloc: 'a(); evil', free: 'free' })).toThrow(/not a method name/);
    const seq = makeChurnSequence(2, { steps: 4 });
    expect(() => new ChurnTrial({}, { malloc: 'malloc', free: 'free' }, seq)).toThrow(/no method malloc/);
  });
});
