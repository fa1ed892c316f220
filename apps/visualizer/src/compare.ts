import type { HeapSnapshot, PolicyName } from '@mems/core';
import { errorMessage } from '@mems/os';
import { computeMetrics } from '@mems/stats';
import type { Command } from './command.js';
import { BlockNames, executeCommand } from './execute-command.js';
import type { Timeline } from './timeline.js';
import { createVisualHeap, POLICY_CHOICES, type VisualOptions } from './visual-heap.js';

/**
 * A program that means the same under every policy: blocks are named (trace operations `a`,
 * `f`, `r`) instead of addressed, so a free frees the same block wherever a policy placed it.
 * `null` marks a step that changes no heap (a `get`, a `write`, a failed command).
 */
export type PortableProgram = readonly (Command | null)[];

/**
 * Turns a timeline into a portable program, naming each block by the step that made it under
 * the timeline's own policy: `malloc 1000` that returned 2000 becomes `a @1 1000`, and a later
 * `free 2000` becomes `f @1`. Trace operations stay as they are.
 * @param timeline the run under the page's policy.
 * @returns one entry per command (`timeline.steps[k]` ↔ entry `k - 1`).
 */
export function toPortableProgram(timeline: Timeline): PortableProgram {
  const names = new BlockNames();
  let next = 1;
  const program: (Command | null)[] = [];
  for (const step of timeline.steps.slice(1)) {
    const command = step.command!;
    if (!step.ok) {
      program.push(null);
      continue;
    }
    switch (command.op) {
      case 'malloc':
      case 'calloc': {
        const id = `@${next++}`;
        names.set(id, step.address!);
        program.push({
          op: 'a',
          id,
          size: command.op === 'malloc' ? command.size : command.count * command.size,
        });
        break;
      }
      case 'realloc': {
        const id = names.nameOf(command.address) ?? `@${next++}`;
        names.set(id, step.address!);
        program.push({ op: 'r', id, size: command.size });
        break;
      }
      case 'free': {
        const id = names.nameOf(command.address);
        names.forget(command.address);
        program.push(id === undefined ? null : { op: 'f', id });
        break;
      }
      case 'a':
      case 'r':
        names.set(command.id, step.address!);
        program.push(command);
        break;
      case 'f':
        names.forget(step.address!);
        program.push(command);
        break;
      case 'trim':
        program.push(command);
        break;
      default:
        program.push(null);
    }
  }
  return program;
}

/** One policy's run of a portable program. */
export interface PolicyRun {
  /** The policy. */
  readonly policy: PolicyName;
  /** The steps sampled for the chart, step 0 and the last step included (every step of a short program). */
  readonly steps: readonly number[];
  /** Utilisation (bytes in use / bytes mapped) after each sampled step. */
  readonly utilisation: readonly number[];
  /** External fragmentation (1 - largest hole / free bytes) after each sampled step. */
  readonly fragmentation: readonly number[];
  /** Pages mapped after each sampled step. */
  readonly pages: readonly number[];
  /** How many steps failed under this policy (their messages, first ten). */
  readonly failures: { readonly count: number; readonly first: readonly string[] };
}

/** The most steps the comparison samples per policy (a snapshot each). */
export const COMPARE_SAMPLES = 300;

/**
 * The steps to sample out of `0..last`: all of them when there are at most `samples`, else
 * `samples` evenly spread ones, the first and the last included.
 * @param last the last step.
 * @param samples how many at most (at least 2).
 * @returns the steps, ascending, without repeats.
 */
export function sampleSteps(last: number, samples: number): number[] {
  if (last + 1 <= samples) return Array.from({ length: last + 1 }, (_, i) => i);
  const steps = new Set<number>();
  for (let k = 0; k < samples; k++) steps.add(Math.round((k * last) / (samples - 1)));
  return [...steps].sort((a, b) => a - b);
}

/**
 * Runs a portable program under every built-in policy (first fit, next fit, best fit, TLSF),
 * with the page's other options, recording utilisation, fragmentation and pages at up to
 * `samples` steps.
 * @param options the page's options (their policy is replaced by each policy in turn).
 * @param program the portable program.
 * @param samples the most steps to record (default {@link COMPARE_SAMPLES}).
 * @returns one run per policy, in the order of {@link POLICY_CHOICES}.
 * @throws MemsError `EINVAL` when the options are invalid.
 */
export function comparePolicies(
  options: VisualOptions,
  program: PortableProgram,
  samples = COMPARE_SAMPLES,
): PolicyRun[] {
  const steps = sampleSteps(program.length, Math.max(2, samples));
  return POLICY_CHOICES.map((policy) => {
    const { heap } = createVisualHeap({ ...options, policy });
    const names = new BlockNames();
    const utilisation: number[] = [];
    const fragmentation: number[] = [];
    const pages: number[] = [];
    const first: string[] = [];
    let count = 0;
    let next = 0;
    const record = (step: number) => {
      if (steps[next] !== step) return;
      next++;
      const metrics = computeMetrics(heap.snapshot());
      utilisation.push(metrics.utilisation);
      fragmentation.push(metrics.externalFragmentation);
      pages.push(heap.counters().pagesMapped);
    };
    try {
      record(0);
      program.forEach((command, i) => {
        if (command !== null) {
          try {
            executeCommand(heap, names, command);
          } catch (error) {
            count++;
            if (first.length < 10) first.push(`step ${i + 1}: ${errorMessage(error)}`);
          }
        }
        record(i + 1);
      });
    } finally {
      heap.destroy();
    }
    return { policy, steps, utilisation, fragmentation, pages, failures: { count, first } };
  });
}

/**
 * The heap of one policy at one step of a portable program, for the side-by-side pictures.
 * @param options the page's options.
 * @param policy the policy.
 * @param program the portable program.
 * @param step 0 to `program.length`.
 * @returns the snapshot.
 */
export function portableSnapshotAt(
  options: VisualOptions,
  policy: PolicyName,
  program: PortableProgram,
  step: number,
): HeapSnapshot {
  const { heap } = createVisualHeap({ ...options, policy });
  const names = new BlockNames();
  try {
    for (let i = 0; i < Math.min(step, program.length); i++) {
      const command = program[i];
      if (command === null || command === undefined) continue;
      try {
        executeCommand(heap, names, command);
      } catch {
        // Counted by comparePolicies.
      }
    }
    return heap.snapshot();
  } finally {
    heap.destroy();
  }
}
