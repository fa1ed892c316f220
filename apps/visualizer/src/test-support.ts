import type { HeapSnapshot } from '@mems/core';
import type { Command } from './command.js';
import { BlockNames, executeCommand } from './execute-command.js';
import { createVisualHeap, DEFAULT_OPTIONS, type VisualOptions } from './visual-heap.js';

/**
 * Test helper: the snapshots before and after the last of some commands, on a fresh heap.
 * @param commands the commands (every one must work).
 * @param options heap options (default: the seed's).
 * @returns the two snapshots.
 */
export function aroundLast(
  commands: readonly Command[],
  options: Partial<VisualOptions> = {},
): { before: HeapSnapshot; after: HeapSnapshot } {
  const { heap } = createVisualHeap({ ...DEFAULT_OPTIONS, ...options });
  const names = new BlockNames();
  try {
    for (const command of commands.slice(0, -1)) executeCommand(heap, names, command);
    const before = heap.snapshot();
    executeCommand(heap, names, commands[commands.length - 1]!);
    return { before, after: heap.snapshot() };
  } finally {
    heap.destroy();
  }
}

/** Test helper: `n` commands `malloc size`. */
export const mallocs = (n: number, size: number): Command[] =>
  Array.from({ length: n }, () => ({ op: 'malloc', size }) as const);
