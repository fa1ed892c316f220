import { describe, expect, it } from 'vitest';
import { fuzzShared } from './shared-differential.js';

describe('the shared-heap differential fuzzer', () => {
  it('finds no difference between a shared heap (two objects, one thread) and createMems in a short run', () => {
    const result = fuzzShared({ seed: 12345, seconds: 0, batch: 0 });
    if (result.failure) console.log(result.failure.report.slice(-3000));
    expect(result.failure?.report ?? null).toBeNull();
    expect(result.counters.sequences).toBe(20);
    expect(result.counters.failedCalls).toBeGreaterThan(0);
    expect(result.counters.operations).toBeGreaterThan(200);
  }, 60_000);
});
