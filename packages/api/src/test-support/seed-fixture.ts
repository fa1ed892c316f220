/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The seed's expected example output (this package's copy of the demo's fixture). */
export const SEED_EXAMPLE_OUTPUT: string = readFileSync(
  fileURLToPath(new URL('../fixtures/seed-example-output.txt', import.meta.url)),
  'utf8',
);

/** The source of truth for the seed's expected output: the demo's fixture, which CI compares `pnpm start` with. */
export const SOURCE_EXAMPLE_PATH: string = fileURLToPath(
  new URL('../../../../apps/demo/src/fixtures/seed-example-output.txt', import.meta.url),
);

/**
 * The `mems_print_stats` blocks of a text, each with its final newline.
 * @param text output containing stats blocks.
 * @returns the blocks in order.
 */
export function statsBlocks(text: string): string[] {
  const blocks: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '----- MeMS SYSTEM STATS -----') continue;
    const end = lines.indexOf('-----------------------------', i);
    blocks.push(`${lines.slice(i, end + 1).join('\n')}\n`);
    i = end;
  }
  return blocks;
}

/**
 * Finishes the process-wide heap if one is live, so each test starts uninitialised.
 * @param finish `mems_finish`.
 */
export function finishIfLive(finish: () => void): void {
  try {
    finish();
  } catch {
    // Not live: nothing to do.
  }
}
