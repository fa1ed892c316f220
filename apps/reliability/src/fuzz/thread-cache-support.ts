/**
 * Whether this build's `createSharedMems` takes the `threadCache` option (issue 21's per-thread
 * caches, being added): asked at run time by making a small heap with `threadCache: true`,
 * because this package must build and run with and without it.
 */
import { createSharedMems } from '@mems/api';
import { createSharedMemoryProvider, isMemsError } from '@mems/os';

/** What {@link detectThreadCache} found. */
export interface ThreadCacheSupport {
  /** True when `createSharedMems({ threadCache: true })` made a heap. */
  readonly supported: boolean;
  /** How it was decided: the refusal's message, or that a heap was made. */
  readonly note: string;
}

let detected: ThreadCacheSupport | undefined;

/**
 * Tries `createSharedMems({ threadCache: true })` on a small shared-memory provider (once per
 * thread; later calls return the first answer).
 * @returns not supported when the refusal is the unknown-option `EINVAL` that a build without
 *   the option gives; supported otherwise: the heap was made (and is finished at once), or the
 *   option exists and refused this probe's heap with another `EINVAL` naming it (the option
 *   rotation then meets that refusal on the sets it does not take, and reports it).
 * @throws whatever else the call throws.
 */
export function detectThreadCache(): ThreadCacheSupport {
  if (detected !== undefined) return detected;
  try {
    const probe = createSharedMems({
      threadCache: true,
      policy: 'tlsf',
      provider: createSharedMemoryProvider({ maxBytes: 16 * 4096 }),
      maxMetadataBytes: 2 ** 22,
    } as Parameters<typeof createSharedMems>[0]);
    probe.finish();
    detected = { supported: true, note: 'createSharedMems({ threadCache: true }) made a heap' };
  } catch (error) {
    if (!isMemsError(error) || error.code !== 'EINVAL' || !error.message.includes('threadCache')) throw error;
    detected = /unknown option "threadCache"/.test(error.message)
      ? { supported: false, note: error.message }
      : { supported: true, note: `the option exists; the probe's heap was refused: ${error.message}` };
  }
  return detected;
}
