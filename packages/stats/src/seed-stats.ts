import type { HeapSnapshot } from '@mems/core';
import { assertSnapshot } from './validate';

/**
 * Formats a snapshot exactly as the seed's `mems_print_stats` prints it, byte for byte:
 *
 * ```text
 * ----- MeMS SYSTEM STATS -----
 * MAIN[1000:5095]-> P[1000:1999] <-> H[2000:5095] <-> NULL
 * Pages used:<TAB>1
 * Space unused:<TAB>3096
 * Main Chain Length:<TAB>1
 * Sub-chain Length array: [2, ]
 * -----------------------------
 * ```
 *
 * One `MAIN` line per node (none for an empty heap), then "Pages used" (`counters.pagesMapped`),
 * "Space unused" (`counters.bytesFree`), "Main Chain Length" (the number of nodes) and the
 * sub-chain lengths, each followed by `, `. Every line, the last included, ends with `\n`, so
 * the text has `nodes.length + 6` lines.
 * @param snapshot a heap snapshot from `@mems/core`.
 * @returns the stats text.
 * @throws {MemsError} `EINVAL` when `snapshot` is not an object with a `nodes` array and `counters`.
 */
export function formatSeedStats(snapshot: HeapSnapshot): string {
  assertSnapshot('formatSeedStats', snapshot);
  let out = '----- MeMS SYSTEM STATS -----\n';
  let lengths = '';
  for (const node of snapshot.nodes) {
    out += `MAIN[${node.start}:${node.lastAddress}]-> `;
    for (const segment of node.segments) {
      out += `${segment.kind === 'PROCESS' ? 'P' : 'H'}[${segment.start}:${segment.lastAddress}] <-> `;
    }
    out += 'NULL\n';
    lengths += `${node.segments.length}, `;
  }
  out += `Pages used:\t${snapshot.counters.pagesMapped}\n`;
  out += `Space unused:\t${snapshot.counters.bytesFree}\n`;
  out += `Main Chain Length:\t${snapshot.nodes.length}\n`;
  out += `Sub-chain Length array: [${lengths}]\n`;
  out += '-----------------------------\n';
  return out;
}
