import { writeFileSync } from 'node:fs';
import { formatSvg, formatTerminalMap } from '@mems/stats';
import { wantsColor } from '../colors.js';
import { type HeapSetup, hasRealAddresses } from '../heap-setup.js';
import { runSeedExample, STDOUT_IO } from '../seed-example.js';

/**
 * `mems-demo example`: the seed's example program, printing exactly
 * the seed's expected output (src/fixtures/seed-example-output.txt) with the real physical address
 * (on the default settings).
 * @param setup the heap options and provider.
 * @param svgFile when given, an SVG picture of the heap before `mems_finish` is written there.
 * @throws MemsError from MeMS; a Node error when the SVG cannot be written.
 */
export function runExample(setup: HeapSetup, svgFile?: string): void {
  runSeedExample(setup.options, hasRealAddresses(setup.provider), {
    ...STDOUT_IO,
    beforeFinish: (snapshot) => {
      if (svgFile !== undefined)
        writeFileSync(svgFile, formatSvg(snapshot, { title: "MeMS: the seed's example before mems_finish" }));
    },
  });
}

/**
 * `mems-demo map`: runs the seed's example silently and prints a terminal map of its memory just
 * before `mems_finish` (one bar per main-chain node). Coloured when stdout is a terminal.
 * @param setup the heap options and provider.
 * @param width cells per bar (1 to 10000), default 64.
 * @throws MemsError from MeMS or for a bad width.
 */
export function runMap(setup: HeapSetup, width?: number): void {
  let map = '';
  runSeedExample(setup.options, hasRealAddresses(setup.provider), {
    print: () => {},
    printStats: () => {},
    beforeFinish: (snapshot) => {
      map = formatTerminalMap(snapshot, { width, color: wantsColor(process.stdout) });
    },
  });
  process.stdout.write(map);
}
