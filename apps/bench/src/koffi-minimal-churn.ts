// `node dist/koffi-minimal-churn.js SCRIPT TRIALS TARGET_MS WARMUP_MS`: the `koffi-libc-minimal`
// contender. The churn loop with glibc through koffi as a user would write it in twenty lines,
// in a process of its own that runs nothing else: the same koffi declarations as `koffi-libc`
// (Number pointers in a Float64Array), the same script (the file native/churn.c reads), timed
// like the C reference. Prints {"samples":[ns per pair…],"pairsPerTrial":N,"totalPairs":N,"peakMappedBytes":0}.
// It imports nothing of the harness, so its figure is what `koffi-libc` should agree with.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [file, trialsArg, targetArg, warmupArg] = process.argv.slice(2);
if (file === undefined || warmupArg === undefined) {
  process.stderr.write('usage: koffi-minimal-churn SCRIPT TRIALS TARGET_MS WARMUP_MS\n');
  process.exit(2);
}
const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
const libc = koffi.load('libc.so.6');
const malloc = libc.func('uintptr_t malloc(size_t)') as (size: number) => number;
const free = libc.func('void free(uintptr_t)') as (pointer: number) => void;

const bytes = readFileSync(file);
const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const live = view.getUint32(0, true);
const steps = view.getUint32(4, true);
const fill = new Uint16Array(live);
const victims = new Uint32Array(steps);
const sizes = new Uint16Array(steps);
let at = 8;
for (let i = 0; i < live; i++, at += 2) fill[i] = view.getUint16(at, true);
for (let k = 0; k < steps; k++, at += 4) victims[k] = view.getUint32(at, true);
for (let k = 0; k < steps; k++, at += 2) sizes[k] = view.getUint16(at, true);

const slots = new Float64Array(live);
for (let i = 0; i < live; i++) slots[i] = malloc(fill[i]!);
let pos = 0;
let total = 0;
function run(count: number): void {
  total += count;
  for (let n = 0; n < count; n++) {
    const i = victims[pos]!;
    free(slots[i]!);
    slots[i] = malloc(sizes[pos]!);
    if (++pos === steps) pos = 0;
  }
}

const now = (): number => Number(process.hrtime.bigint());
// Warm-up: every block replaced about once, and at least WARMUP_MS; then trials of TARGET_MS.
let chunk = 1000;
let perPair = 1;
const warmStart = now();
let warmed = 0;
while (warmed < live || now() - warmStart < Number(warmupArg) * 1e6) {
  const t0 = now();
  run(chunk);
  perPair = Math.max((now() - t0) / chunk, 0.01);
  warmed += chunk;
  chunk = Math.max(1000, Math.round(10e6 / perPair));
}
const perTrial = Math.max(1, Math.round((Number(targetArg) * 1e6) / perPair));
const samples: number[] = [];
for (let t = 0; t < Number(trialsArg); t++) {
  const t0 = now();
  run(perTrial);
  samples.push((now() - t0) / perTrial);
}
for (let i = 0; i < live; i++) free(slots[i]!);
process.stdout.write(
  `${JSON.stringify({ samples, pairsPerTrial: perTrial, totalPairs: total, peakMappedBytes: 0 })}\n`,
);
