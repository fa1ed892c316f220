// Measures what MeMS costs the process in kernel mappings and resident memory (Linux), for the
// numbers in packages/os/README.md. Run after `pnpm build`:
//
//   node scripts/measure-pages.mjs trim [nodes]   # one-page nodes, every other freed, mems_trim
//   node scripts/measure-pages.mjs calloc [count] # mems_calloc(count, 4095), count 2^20 by default
//   node scripts/measure-pages.mjs heap [nodes]   # kernel mappings of a heap of N one-page nodes
//
// --root=<checkout> measures another checkout's build (for before/after comparisons).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const rootArg = args.find((arg) => arg.startsWith('--root='));
const root = resolve(rootArg?.slice('--root='.length) ?? join(import.meta.dirname, '..'));
const api = await import(pathToFileURL(join(root, 'packages/api/dist/index.js')).href);
const [what = 'trim', countText] = args.filter((arg) => arg !== rootArg);

/** Lines of /proc/self/maps: the process's kernel mappings. */
const kernelMappings = () => readFileSync('/proc/self/maps', 'utf8').trimEnd().split('\n').length;
/** How many distinct kernel mappings hold the physical pages of the given blocks. */
const mappingsHolding = (blocks) => {
  const ranges = readFileSync('/proc/self/maps', 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) =>
      line
        .split(' ')[0]
        .split('-')
        .map((hex) => BigInt(`0x${hex}`)),
    );
  const holding = new Set();
  for (const block of blocks) {
    const address = api.mems_get(block);
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (ranges[mid][0] <= address) lo = mid;
      else hi = mid - 1;
    }
    if (ranges[lo][0] <= address && address < ranges[lo][1]) holding.add(lo);
  }
  return holding.size;
};
/** Resident set in MiB (VmRSS). */
const residentMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
const report = (label, extra = '') =>
  console.log(
    `${label.padEnd(34)} kernel mappings ${String(kernelMappings()).padStart(6)}   RSS ${residentMiB().toFixed(0).padStart(5)} MiB${extra}`,
  );
/** mems_finish, reported in one line when it fails. */
const finish = () => {
  try {
    api.mems_finish();
    report('mems_finish()');
  } catch (error) {
    const count = error.cause?.errors?.length ?? 1;
    report(
      'mems_finish() failed',
      `   (${error.code}: ${count} unmap failure(s), first: ${error.cause?.errors?.[0]?.message ?? error.message})`,
    );
  }
};
const round = (ms) => `${(ms / 1000).toFixed(2)} s`;

console.log(
  `${what} on ${root}, vm.max_map_count ${readFileSync('/proc/sys/vm/max_map_count', 'utf8').trim()}`,
);
if (what === 'trim' || what === 'heap') {
  const nodes = Number(countText ?? (what === 'trim' ? 140_000 : 10_000));
  api.mems_init({ pageSize: 4096 });
  report('start');
  const blocks = [];
  for (let i = 0; i < nodes; i++) {
    const block = api.mems_malloc(4096);
    api.mems_view(block, 1)[0] = 1; // touch the page: it becomes resident
    blocks.push(block);
  }
  report(`${nodes} one-page nodes, each touched`, `   (${mappingsHolding(blocks)} hold the nodes)`);
  if (what === 'trim') {
    const kept = blocks.filter((_, i) => i % 2 === 1);
    for (let i = 0; i < blocks.length; i += 2) api.mems_free(blocks[i]);
    report('every other one freed');
    const started = performance.now();
    try {
      const released = api.mems_trim();
      const seconds = round(performance.now() - started);
      report(
        'mems_trim()',
        `   (${released / 4096} pages released in ${seconds}; ${mappingsHolding(kept)} hold the nodes left)`,
      );
    } catch (error) {
      report('mems_trim() failed', `   (${error.code}: ${error.message.slice(0, 120)})`);
    }
  }
  finish();
} else if (what === 'calloc') {
  const count = Number(countText ?? 2 ** 20);
  api.mems_init();
  report('start');
  const started = performance.now();
  const block = api.mems_calloc(count, 4095);
  const elapsed = performance.now() - started;
  report(`mems_calloc(${count}, 4095)`, `   (${round(elapsed)}; block at ${block})`);
  finish();
} else {
  console.error(`unknown measurement ${what}: use trim, calloc or heap`);
  process.exitCode = 1;
}
