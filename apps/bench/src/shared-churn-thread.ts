// One worker thread of the thread workloads (shared-churn, larson, xmalloc: workloads/shared-churn.ts
// starts it with the workload's setup as workerData): runs the worker's part and posts { done } or { error }.
import { parentPort, workerData } from 'node:worker_threads';
import { type LarsonThreadSetup, runLarsonThread } from './workloads/larson-thread-body.js';
import {
  CONTROL,
  runSharedChurnThread,
  type SharedChurnThreadSetup,
} from './workloads/shared-churn-thread-body.js';
import { runXmallocThread, type XmallocThreadSetup } from './workloads/xmalloc-thread-body.js';

const setup = workerData as SharedChurnThreadSetup | LarsonThreadSetup | XmallocThreadSetup;
try {
  const done =
    setup.workload === 'larson'
      ? await runLarsonThread(setup)
      : setup.workload === 'xmalloc'
        ? await runXmallocThread(setup)
        : await runSharedChurnThread(setup);
  parentPort!.postMessage({ done });
} catch (error) {
  const control = new Int32Array(setup.control);
  Atomics.store(control, CONTROL.FAILED, 1);
  Atomics.notify(control, CONTROL.READY);
  Atomics.notify(control, CONTROL.DONE);
  parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
