/**
 * The worker-thread entry of `pnpm fuzz --shared N` (built to dist/shared-fuzz-thread.js): opens
 * the run's heap with `attachMems`, runs {@link runFuzzThread} and posts `{ done: counts }`, or
 * `{ error, aborted }` after marking the run failed (`aborted` when another thread failed first).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { attachMems } from '@mems/api';
import { type FuzzThreadSetup, runFuzzThread } from './fuzz/fuzz-thread.js';
import type { RawMemory } from './fuzz/fuzzed-heap.js';
import { sabotageHeap } from './fuzz/sabotaged-heap.js';
import { RunAborted, ThreadBoard, WorkerPhase } from './fuzz/thread-board.js';

const setup = workerData as FuzzThreadSetup;
const board = new ThreadBoard(setup.board, setup.workers);
try {
  const attached = attachMems(setup.handle);
  const heap = setup.sabotage === null ? attached : sabotageHeap(attached, setup.sabotage);
  const raw: RawMemory | null =
    setup.options.provider === 'shared-mmap' ? await import('@mems/os/mmap') : null;
  parentPort!.postMessage({ done: runFuzzThread(setup, heap, raw) });
} catch (error) {
  const aborted = error instanceof RunAborted;
  if (!aborted) board.setPhase(setup.index, WorkerPhase.failed);
  board.fail();
  parentPort!.postMessage({
    error: error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error),
    aborted,
  });
}
