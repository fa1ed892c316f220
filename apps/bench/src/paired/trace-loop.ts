import { OP_ALLOCATE, OP_FREE } from '@mems/traces';
import type { TraceScript } from '../traces/trace-script.js';

/**
 * The names of a replay target's three methods: `malloc(size) → address`, `free(address)`,
 * `realloc(address, size) → address` (on a core heap: `allocate`, `free`, `realloc`).
 */
export interface TraceMethods {
  readonly malloc: string;
  readonly free: string;
  readonly realloc: string;
}

/**
 * A compiled replay: runs every operation of `script` on `target` between two readings of
 * `clock`, then frees the blocks still live (untimed), so the next replay starts empty.
 * @returns the nanoseconds the operations took (clock units).
 */
export type TraceLoop = (
  target: object,
  script: TraceScript,
  slots: Float64Array,
  clock: () => number,
) => number;

const loopSource = (m: TraceMethods): string => `
  const ops = script.ops;
  const ids = script.slots;
  const sizes = script.sizes;
  const n = script.length;
  const start = clock();
  for (let k = 0; k < n; k++) {
    const op = ops[k];
    const slot = ids[k];
    if (op === ${OP_ALLOCATE}) slots[slot] = target.${m.malloc}(sizes[k]);
    else if (op === ${OP_FREE}) {
      target.${m.free}(slots[slot]);
      slots[slot] = -1;
    } else slots[slot] = target.${m.realloc}(slots[slot], sizes[k]);
  }
  const elapsed = clock() - start;
  for (let slot = 0; slot < slots.length; slot++)
    if (slots[slot] !== -1) {
      target.${m.free}(slots[slot]);
      slots[slot] = -1;
    }
  return elapsed;
`;

const METHOD_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Compiles a fresh copy of the trace replay. Each side of a paired run gets its own copy, so
 * V8's inline caches in one copy see one allocator only: one loop shared by MeMS and koffi
 * turned polymorphic and made libc through koffi 1.3-1.4x slower on the traces (measured),
 * which would flatter MeMS.
 * @param methods the target's method names (identifiers).
 * @returns a new loop function; its `slots` must hold -1 for every slot before the first call.
 * @throws Error for a method name that is not an identifier.
 */
export function compileTraceLoop(methods: TraceMethods): TraceLoop {
  for (const name of [methods.malloc, methods.free, methods.realloc])
    if (typeof name !== 'string' || !METHOD_NAME.test(name))
      throw new Error(`compileTraceLoop: ${JSON.stringify(name)} is not a method name`);
  return new Function('target', 'script', 'slots', 'clock', loopSource(methods)) as TraceLoop;
}
