import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The URL of a built file of a package (`dist/…`), for a worker script to `import()`. Worker
 * threads run plain JavaScript, so they load the build, not the TypeScript sources: this checks
 * that the build exists and is not older than any source file, so that a test never runs stale
 * code (`pnpm test` builds first; after editing, run `pnpm --filter <package> build`).
 * @param packageDir the package's directory.
 * @param file the built file, relative to `dist/`, for example `'index.js'`.
 * @returns a `file:` URL string.
 * @throws Error when the file is missing or older than the newest file under `src/`.
 */
export function builtEntry(packageDir: string, file: string): string {
  const path = join(packageDir, 'dist', file);
  let built: number;
  try {
    built = statSync(path).mtimeMs;
  } catch {
    throw new Error(`${path} is missing: build the package first (pnpm build)`);
  }
  const newest = newestSource(join(packageDir, 'src'));
  if (newest.mtimeMs > built) {
    throw new Error(`${path} is older than ${newest.path}: rebuild the package first (pnpm build)`);
  }
  return pathToFileURL(path).href;
}

function newestSource(dir: string): { path: string; mtimeMs: number } {
  let newest = { path: dir, mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // Tests and their helpers are not part of the build.
    if (entry.isDirectory()) {
      if (entry.name === 'test-support' || entry.name === 'fixtures') continue;
      const inner = newestSource(path);
      if (inner.mtimeMs > newest.mtimeMs) newest = inner;
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      const mtimeMs = statSync(path).mtimeMs;
      if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
    }
  }
  return newest;
}

/** One worker started by {@link startWorker}. */
export interface StartedWorker<T> {
  /** The worker thread. */
  worker: Worker;
  /**
   * Settles when the worker ends: with the value it posted as `{ done: value }`, or rejected
   * with the error it posted as `{ error }`, an uncaught error, or a non-zero exit.
   */
  result: Promise<T>;
}

/**
 * Starts a worker thread running a plain `.mjs` script. The script reports its outcome by
 * posting `{ done: value }` (success) or `{ error: message }` to its parent; other messages are
 * passed to `onMessage`.
 * @param script the script's URL.
 * @param workerData the data the script reads from `workerData` (structured-cloned).
 * @param options `transferList` (ports to hand over), `onMessage` for other messages.
 * @returns the worker and a promise of its result.
 */
export function startWorker<T>(
  script: URL,
  workerData: unknown,
  options: { transferList?: Transferable[]; onMessage?: (message: unknown) => void } = {},
): StartedWorker<T> {
  const worker = new Worker(script, {
    workerData,
    transferList: options.transferList as never,
  });
  const result = new Promise<T>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'done' in message) {
        settled = true;
        resolve((message as { done: T }).done);
      } else if (typeof message === 'object' && message !== null && 'error' in message) {
        settled = true;
        reject(new Error(`worker: ${String((message as { error: unknown }).error)}`));
      } else {
        options.onMessage?.(message);
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`worker exited with code ${code} before reporting`));
    });
  });
  return { worker, result };
}

/**
 * Starts one worker per entry of `data` on the same script and waits for all of them.
 * @param script the script's URL.
 * @param data one `workerData` per worker.
 * @returns every worker's result, in the order of `data`.
 * @throws the first worker's failure (the others are terminated).
 */
export async function runWorkers<T>(script: URL, data: readonly unknown[]): Promise<T[]> {
  const started = data.map((workerData) => startWorker<T>(script, workerData));
  try {
    return await Promise.all(started.map((entry) => entry.result));
  } finally {
    await Promise.all(started.map((entry) => entry.worker.terminate()));
  }
}
