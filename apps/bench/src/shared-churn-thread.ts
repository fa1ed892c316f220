// One worker thread of the shared-churn workload (workloads/shared-churn.ts starts it with its
// SharedChurnThreadSetup as workerData): runs the worker's churn and posts { done } or { error }.
import { parentPort, workerData } from 'node:worker_threads';
import {
  CONTROL,
  runSharedChurnThread,
  type SharedChurnThreadSetup,
} from './workloads/shared-churn-thread-body.js';

const setup = workerData as SharedChurnThreadSetup;
try {
  parentPort!.postMessage({ done: await runSharedChurnThread(setup) });
} catch (error) {
  const control = new Int32Array(setup.control);
  Atomics.store(control, CONTROL.FAILED, 1);
  Atomics.notify(control, CONTROL.READY);
  Atomics.notify(control, CONTROL.DONE);
  parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
