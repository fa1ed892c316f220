import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TrialPlan } from './measure.js';
import { runChurnProgram } from './native-churn.js';
import type { PointResult } from './results.js';
import type { ChurnSequence } from './sequence.js';

/**
 * The built minimal loop (`src/koffi-minimal-churn.ts`): beside the running bundle in `dist/`,
 * or in `dist/` seen from `src/` when the sources run under vitest (`pnpm build` makes it).
 */
export const KOFFI_MINIMAL_SCRIPT = ((): string => {
  const beside = fileURLToPath(new URL('./koffi-minimal-churn.js', import.meta.url));
  return existsSync(beside)
    ? beside
    : fileURLToPath(new URL('../dist/koffi-minimal-churn.js', import.meta.url));
})();

/**
 * Why the minimal koffi loop cannot run here.
 * @returns null when its built script exists, else the reason.
 */
export function koffiMinimalUnavailable(): string | null {
  return existsSync(KOFFI_MINIMAL_SCRIPT)
    ? null
    : `${KOFFI_MINIMAL_SCRIPT} is not built (run pnpm build in apps/bench)`;
}

/**
 * The `koffi-libc-minimal` contender on a churn script: glibc through koffi in a twenty-line
 * loop, in a Node process of its own that loads nothing of the harness.
 * @param seq the script every contender replays.
 * @param plan trials (the churn plan).
 * @returns the point, contender `koffi-libc-minimal`.
 * @throws Error when the script is not built or the process fails.
 */
export function runKoffiMinimalChurn(seq: ChurnSequence, plan: TrialPlan): PointResult {
  const missing = koffiMinimalUnavailable();
  if (missing !== null) throw new Error(`runKoffiMinimalChurn: ${missing}`);
  return runChurnProgram([process.execPath, KOFFI_MINIMAL_SCRIPT], 'koffi-libc-minimal', seq, plan);
}
