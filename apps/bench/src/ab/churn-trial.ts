import type { ChurnSequence } from '../sequence.js';

/**
 * What a churn trial drives: an allocator object with an allocating method and a freeing
 * method over numbers, named by {@link ChurnMethods} (`allocate`/`free` on a core heap,
 * `malloc`/`free` on an api instance), so the loop calls the allocator itself, with no wrapper.
 */
export type ChurnTarget = object;

/** The names of a target's two methods. */
export interface ChurnMethods {
  /** The allocating method: `(size) => address`. */
  readonly malloc: string;
  /** The freeing method: `(address) => void`. */
  readonly free: string;
}

/**
 * A churn loop: `run(target, slots, seq, from, count)` frees the block the script names and
 * allocates the script's size in its place, `count` times from step `from` (wrapping).
 * @returns the step after the last one run.
 */
export type ChurnLoop = (
  target: ChurnTarget,
  slots: Float64Array,
  seq: ChurnSequence,
  from: number,
  count: number,
) => number;

const loopSource = (m: ChurnMethods): string => `
  const victims = seq.victims;
  const sizes = seq.sizes;
  const n = victims.length;
  let k = from;
  for (let done = 0; done < count; done++) {
    const i = victims[k];
    target.${m.free}(slots[i]);
    slots[i] = target.${m.malloc}(sizes[k]);
    k = k + 1 === n ? 0 : k + 1;
  }
  return k;
`;

const METHOD_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Compiles a fresh copy of the churn loop. Each A/B side and configuration gets its own copy,
 * so V8's inline caches in one copy see one heap class only: a loop shared by both sides would
 * turn polymorphic and slow down whichever side runs second.
 * @param methods the target's method names (identifiers).
 * @returns a new loop function.
 * @throws Error for a method name that is not an identifier.
 */
export function compileChurnLoop(methods: ChurnMethods): ChurnLoop {
  for (const name of [methods.malloc, methods.free])
    if (typeof name !== 'string' || !METHOD_NAME.test(name))
      throw new Error(`compileChurnLoop: ${JSON.stringify(name)} is not a method name`);
  return new Function('target', 'slots', 'seq', 'from', 'count', loopSource(methods)) as ChurnLoop;
}

/** One side's churn at a steady live count, ready to time. */
export class ChurnTrial {
  private readonly loop: ChurnLoop;
  private readonly slots: Float64Array;
  private position = 0;

  /**
   * Fills `seq.live` blocks.
   * @param target the allocator (its own heap, made for this trial).
   * @param methods its method names.
   * @param seq the script.
   */
  constructor(
    private readonly target: ChurnTarget,
    private readonly methods: ChurnMethods,
    private readonly seq: ChurnSequence,
  ) {
    this.loop = compileChurnLoop(methods);
    this.slots = new Float64Array(seq.live);
    const malloc = this.method(methods.malloc) as (size: number) => number;
    for (let i = 0; i < seq.live; i++) this.slots[i] = malloc.call(target, seq.fillSizes[i]!);
  }

  private method(name: string): (...args: number[]) => unknown {
    const f = (this.target as Record<string, unknown>)[name];
    if (typeof f !== 'function') throw new Error(`ChurnTrial: the target has no method ${name}`);
    return f as (...args: number[]) => unknown;
  }

  /**
   * Runs `steps` free+malloc pairs.
   * @returns the time they took, in ns per pair.
   */
  time(steps: number): number {
    const start = process.hrtime.bigint();
    this.position = this.loop(this.target, this.slots, this.seq, this.position, steps);
    return Number(process.hrtime.bigint() - start) / steps;
  }

  /** Frees every live block (the heap itself is the caller's to end). */
  drain(): void {
    const free = this.method(this.methods.free);
    for (let i = 0; i < this.slots.length; i++) free.call(this.target, this.slots[i]!);
  }
}
