import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSharedChurn, type SharedChurnPlan, sharedChurnThreadScript } from './shared-churn.js';

// Worker threads run the built entry; `pnpm build` makes it (CI builds before testing).
const script = sharedChurnThreadScript();
const plan: SharedChurnPlan = {
  live: 300,
  pairsPerRound: 2_000,
  rounds: 3,
  warmupPairs: 1_000,
  handOffEvery: 4,
};

describe('the shared-churn workload', () => {
  it('has its worker entry built', () => {
    expect(existsSync(fileURLToPath(script)), 'run pnpm build first').toBe(true);
  });

  it('runs two workers through glibc, handing blocks both ways, and reports every round', async () => {
    const { point, threads } = await runSharedChurn('koffi-libc', script, 2, { kind: 'koffi-libc' }, plan);
    expect(point.point).toBe('2 workers');
    expect(point.ns.n).toBe(plan.rounds);
    expect(point.ns.median).toBeGreaterThan(0);
    expect(point.opsPerTrial).toBe(2 * plan.pairsPerRound);
    for (const t of threads) {
      expect(t.pairs).toBe(plan.warmupPairs + plan.rounds * plan.pairsPerRound);
      // a quarter of the steps hand a block over (fewer only while one worker runs ahead)
      expect(t.receivedBlocks).toBeGreaterThan(t.pairs / 8);
      expect(t.receivedBlocks).toBeLessThanOrEqual(Math.ceil(t.pairs / 4));
    }
  });

  it("runs one worker on a createMems heap of the worker's own", async () => {
    const { point, threads } = await runSharedChurn('api', script, 1, { kind: 'mems-private' }, plan);
    expect(point.point).toBe('1 worker');
    expect(threads[0]!.receivedBlocks).toBe(0);
  });

  it("fails with the worker's error when a worker cannot open its allocator", async () => {
    await expect(
      runSharedChurn('tlsf/shared', script, 2, { kind: 'mems-shared', handle: { not: 'a handle' } }, plan),
    ).rejects.toThrow(/shared-churn tlsf\/shared with 2 worker\(s\): worker \d/);
  });
});
