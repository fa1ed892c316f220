import { describe, expect, it } from 'vitest';
import { fuzzSharedThreads } from './shared-threads.js';
import { fuzzThreadScript } from './thread-script.js';

const threadScript = fuzzThreadScript(true);

describe('pnpm fuzz --shared N (worker threads on one createSharedMems heap)', () => {
  for (const workers of [2, 4]) {
    it(`finds nothing wrong in a short run of ${workers} workers, and really exercised the heap`, async () => {
      const result = await fuzzSharedThreads({
        seed: 21 + workers,
        seconds: 0,
        batch: workers === 2 ? 0 : 3, // first-fit on shared mmap; tlsf on shared mmap
        runSeconds: 0.5,
        workers,
        threadScript,
      });
      if (result.failure) console.log(result.failure.report);
      expect(result.failure?.report ?? null).toBeNull();
      const c = result.counts;
      expect(c.runs).toBe(1);
      expect(result.optionSets).toHaveLength(1);
      expect(c.checkpoints).toBeGreaterThan(1);
      expect(c.handedOn).toBeGreaterThan(0);
      expect(c.received).toBe(c.handedOn); // every handed block reached its receiver, who freed it
      expect(c.refused).toBeGreaterThan(0);
      expect(c.refusedAlone).toBeGreaterThan(0);
      expect(c.frees).toBe(c.mallocs + c.callocs); // everything allocated was freed
    }, 30_000);
  }

  it('catches an allocator that hands out a block that is still live (two owners of one block)', async () => {
    const result = await fuzzSharedThreads({
      seed: 5,
      seconds: 0,
      runSeconds: 1,
      batch: 3,
      workers: 2,
      threadScript,
      sabotage: 'hand-out-a-live-block',
    });
    expect(result.failure).not.toBeNull();
    const report = result.failure!.report;
    // Found by the patterns, the registry's overlap check or the counters, whichever comes first,
    // or by a call on the block that the other owner has resized or freed meanwhile.
    expect(report).toMatch(
      /they hold the pattern of block .* which overlaps this one|overlap in virtual memory|no worker holds|the workers hold|MemsError: (view|usableSize|realloc|free|get)\(/,
    );
    expect(report).toMatch(/^run 3, options: tlsf, /);
    expect(report).toMatch(/last operations/);
  }, 30_000);

  it('catches a free that does not refuse a second free of the same block', async () => {
    const result = await fuzzSharedThreads({
      seed: 6,
      seconds: 0,
      runSeconds: 1,
      batch: 0,
      workers: 2,
      threadScript,
      sabotage: 'accept-double-free',
    });
    expect(result.failure).not.toBeNull();
    expect(result.failure!.report).toMatch(
      /worker \d failed:\nThreadCheckFailed: worker \d: free\(\d+\) was not refused; a one-thread heap says EFAULT "free\(\d+\): \d+ is inside a free hole \[\d+:\d+\] \(already freed\?\)"/,
    );
    expect(result.failure!.report).toMatch(
      /\d+\. free\(\d+\) must be refused \(alone on the heap\): NOT refused$/m,
    );
  }, 30_000);

  it('does not wait for ever for a worker stuck inside a call: the run fails after hangSeconds, naming its phase', async () => {
    const started = performance.now();
    const result = await fuzzSharedThreads({
      seed: 7,
      seconds: 0,
      runSeconds: 30,
      batch: 1,
      workers: 2,
      hangSeconds: 1,
      threadScript,
      sabotage: 'hang-in-malloc',
    });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.failure?.report).toMatch(
      /no worker made progress \(an operation or a turn\) in round \d+ for 1 s: the workers' phases are .*operating/,
    );
    expect(result.failure?.report).toMatch(/malloc\(\d+\) → \(did not return\)/);
  }, 30_000);
});
