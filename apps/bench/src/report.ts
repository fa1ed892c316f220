import { formatBytes, formatCount, formatNs, formatPoint, formatRatio } from './format.js';
import type { BenchReport, ContenderInfo, PointResult, WorkloadId } from './results.js';
import { type PairedRatio, pairedRatio } from './rounds.js';

/** The points a workload was run at, in order (numeric ascending, else first-seen order). */
export function pointsOf(report: BenchReport, workload: WorkloadId): string[] {
  const seen: string[] = [];
  for (const r of [...report.results, ...report.skips]) {
    if (r.workload === workload && r.point !== '*' && !seen.includes(r.point)) seen.push(r.point);
  }
  if (seen.every((p) => /^\d+$/.test(p))) seen.sort((a, b) => Number(a) - Number(b));
  return seen;
}

/** The contenders with a result or a skip in a workload, in the report's contender order. */
export function contendersOf(report: BenchReport, workload: WorkloadId): ContenderInfo[] {
  const ids = new Set(
    [...report.results, ...report.skips].filter((r) => r.workload === workload).map((r) => r.contender),
  );
  return report.contenders.filter((c) => ids.has(c.id));
}

/** Whether a contender has at least one result in a workload. */
export function ran(report: BenchReport, workload: WorkloadId, contender: string): boolean {
  return report.results.some((r) => r.workload === workload && r.contender === contender);
}

/** The result of one contender at one point, if measured. */
export function findResult(
  report: BenchReport,
  workload: WorkloadId,
  contender: string,
  point: string,
): PointResult | undefined {
  return report.results.find(
    (r) => r.workload === workload && r.contender === contender && r.point === point,
  );
}

function skipReason(
  report: BenchReport,
  workload: WorkloadId,
  contender: string,
  point: string,
): string | undefined {
  return report.skips.find(
    (s) => s.workload === workload && s.contender === contender && (s.point === point || s.point === '*'),
  )?.reason;
}

/** A timing cell: `median [min–max]`, `skipped` or `—`. */
export function timingCell(
  report: BenchReport,
  workload: WorkloadId,
  contender: string,
  point: string,
): string {
  const r = findResult(report, workload, contender, point);
  if (r) return `${formatNs(r.ns.median)} [${formatNs(r.ns.min)}–${formatNs(r.ns.max)}]`;
  return skipReason(report, workload, contender, point) ? 'skipped' : '—';
}

/**
 * The timing table of a workload: one row per contender, one column per point.
 * @returns the header and the rows.
 */
export function timingTable(
  report: BenchReport,
  workload: WorkloadId,
): { header: string[]; rows: string[][] } {
  const points = pointsOf(report, workload);
  const header = ['contender', ...points.map(formatPoint)];
  const rows = contendersOf(report, workload).map((c) => [
    c.label,
    ...points.map((p) => timingCell(report, workload, c.id, p)),
  ]);
  return { header, rows };
}

/** Peers with at least one result in a workload. */
export function peersOf(report: BenchReport, workload: WorkloadId): ContenderInfo[] {
  return contendersOf(report, workload).filter(
    (c) => c.group === 'peer' && report.results.some((r) => r.workload === workload && r.contender === c.id),
  );
}

/**
 * How many times faster a MeMS contender is than a peer, round by round: in each round, the
 * peer's median ÷ the MeMS contender's median (both ran in that round, one after the other),
 * with the median and range over the rounds. A run without rounds gives one ratio.
 * @param report the run.
 * @param workload the workload.
 * @param mems the MeMS contender's id (the denominator).
 * @param peer the peer's id (the numerator).
 * @param point the point.
 * @returns the paired ratios, or undefined when either was not measured.
 */
export function pairedSpeedup(
  report: BenchReport,
  workload: WorkloadId,
  mems: string,
  peer: string,
  point: string,
): PairedRatio | undefined {
  const a = findResult(report, workload, mems, point);
  const b = findResult(report, workload, peer, point);
  return a && b ? pairedRatio(b, a) : undefined;
}

/**
 * How many times faster a MeMS contender is than a peer: the median of the paired per-round
 * ratios (peer ÷ MeMS) of {@link pairedSpeedup}, so every "N× faster" of the report compares
 * times taken side by side.
 * @returns the ratio, or undefined when either was not measured.
 */
export function speedup(
  report: BenchReport,
  workload: WorkloadId,
  mems: string,
  peer: string,
  point: string,
): number | undefined {
  return pairedSpeedup(report, workload, mems, peer, point)?.median;
}

/**
 * A ratio cell: the median of the paired ratios, and their range when there were several rounds.
 * @param ratio the paired ratios.
 * @returns e.g. `2.4×` or `2.4× [2.1–2.9]`.
 */
export function ratioCell(ratio: PairedRatio | undefined): string {
  if (ratio === undefined) return '—';
  if (ratio.n < 2) return formatRatio(ratio.median);
  return `${formatRatio(ratio.median)} [${formatRatio(ratio.min).slice(0, -1)}–${formatRatio(ratio.max).slice(0, -1)}]`;
}

/**
 * The ratio table against one peer: one row per MeMS contender, one column per point; each
 * cell is peer time ÷ MeMS time (above 1×: MeMS is faster), the median of the paired per-round
 * ratios with their range.
 */
export function ratioTable(
  report: BenchReport,
  workload: WorkloadId,
  peer: string,
): { header: string[]; rows: string[][] } {
  const points = pointsOf(report, workload);
  const header = ['contender', ...points.map(formatPoint)];
  const rows = contendersOf(report, workload)
    .filter(
      (c) =>
        c.group === 'mems' && report.results.some((r) => r.workload === workload && r.contender === c.id),
    )
    .map((c) => [c.label, ...points.map((p) => ratioCell(pairedSpeedup(report, workload, c.id, peer, p)))]);
  return { header, rows };
}

/** The memory table of a workload: one row per measured (contender, point). */
export function memoryTable(
  report: BenchReport,
  workload: WorkloadId,
): { header: string[]; rows: string[][] } {
  const header = [
    'contender',
    'point',
    'JS heap growth',
    'over ops',
    'metadata B/block',
    'mapped ÷ live',
    'fragmentation',
  ];
  const rows: string[][] = [];
  for (const c of contendersOf(report, workload)) {
    for (const p of pointsOf(report, workload)) {
      const r = findResult(report, workload, c.id, p);
      if (!r) continue;
      rows.push([
        c.label,
        formatPoint(p),
        r.heapGrowthBytes === null ? 'n/a' : formatBytes(r.heapGrowthBytes, true),
        formatCount(r.heapOps),
        r.metadataPerBlock === null ? '—' : r.metadataPerBlock.toFixed(1),
        r.mappedOverLive === null ? '—' : r.mappedOverLive.toFixed(2),
        r.fragmentation === null ? '—' : r.fragmentation.toFixed(2),
      ]);
    }
  }
  return { header, rows };
}

/**
 * The memory table of the traces: one row per measured (trace, contender), with the time per
 * operation beside utilisation (peak bytes requested by live blocks ÷ peak bytes mapped), the
 * peak bytes mapped and the process's peak RSS (with the RSS it had before the replay, and the
 * difference: what the replay added).
 * @param report the run.
 * @returns the header and the rows.
 */
export function traceMemoryTable(report: BenchReport): { header: string[]; rows: string[][] } {
  const header = [
    'trace',
    'contender',
    'ns/op',
    'utilisation',
    'peak mapped',
    'peak RSS',
    'RSS before replay',
    'RSS added',
  ];
  const rows: string[][] = [];
  for (const p of pointsOf(report, 'traces')) {
    for (const c of contendersOf(report, 'traces')) {
      const r = findResult(report, 'traces', c.id, p);
      if (!r) continue;
      rows.push([
        p,
        c.label,
        formatNs(r.ns.median),
        r.mappedOverLive === null ? '—' : `${(100 / r.mappedOverLive).toFixed(1)}%`,
        r.peakMappedBytes === null ? '—' : formatBytes(r.peakMappedBytes),
        r.peakRssBytes == null ? '—' : formatBytes(r.peakRssBytes),
        r.baseRssBytes == null ? '—' : formatBytes(r.baseRssBytes),
        r.peakRssBytes == null || r.baseRssBytes == null ? '—' : formatBytes(r.peakRssBytes - r.baseRssBytes),
      ]);
    }
  }
  return { header, rows };
}

/**
 * Where MeMS stands against one peer in a workload: for each point, the fastest MeMS row and
 * its ratio (peer time ÷ MeMS time; above 1× MeMS is ahead): the median of the paired
 * per-round ratios, with the ratios themselves in `paired`.
 * @param report the run.
 * @param workload the workload.
 * @param peer the peer's id.
 * @returns one entry per point where both were measured.
 */
export function bestAgainst(
  report: BenchReport,
  workload: WorkloadId,
  peer: string,
): { point: string; mems: ContenderInfo; ratio: number; paired: PairedRatio }[] {
  const mems = contendersOf(report, workload).filter((c) => c.group === 'mems');
  const out: { point: string; mems: ContenderInfo; ratio: number; paired: PairedRatio }[] = [];
  for (const point of pointsOf(report, workload)) {
    let best: { mems: ContenderInfo; ratio: number; paired: PairedRatio } | undefined;
    for (const c of mems) {
      const paired = pairedSpeedup(report, workload, c.id, peer, point);
      if (paired !== undefined && (best === undefined || paired.median > best.ratio))
        best = { mems: c, ratio: paired.median, paired };
    }
    if (best) out.push({ point, ...best });
  }
  return out;
}

/**
 * One sentence per peer: where the fastest MeMS row is ahead of it and where behind.
 * @param report the run.
 * @param workload the workload.
 * @returns e.g. `against libc malloc via koffi: ahead at 10k (1.2× [1.1–1.4], MeMS tlsf · mmap); behind at 1k (0.80×, MeMS tlsf · mmap)`:
 *   the median of the paired per-round ratios, and their range when there were several rounds.
 */
export function standings(report: BenchReport, workload: WorkloadId): string[] {
  return peersOf(report, workload)
    .map((peer) => {
      const rows = bestAgainst(report, workload, peer.id);
      if (rows.length === 0) return '';
      const part = (word: string, list: typeof rows): string =>
        list.length === 0
          ? ''
          : `${word} at ${list.map((r) => `${formatPoint(r.point)} (${ratioCell(r.paired)}, ${r.mems.label})`).join(', ')}`;
      const parts = [
        part(
          'ahead',
          rows.filter((r) => r.ratio > 1),
        ),
        part(
          'behind',
          rows.filter((r) => r.ratio <= 1),
        ),
      ].filter((p) => p !== '');
      return `against ${peer.label}: ${parts.join('; ')}`;
    })
    .filter((line) => line !== '');
}

/** One target of DESIGN.md and what the run measured for one subject. */
export interface TargetCheck {
  /** The target, in words. */
  readonly target: string;
  /** The contender (or pair) it was checked on. */
  readonly subject: string;
  /** What was measured, in words. */
  readonly measured: string;
  /** Met, missed, or null when this run cannot tell (not measured). */
  readonly met: boolean | null;
}

const TEN_K = '10000';
const ONE_K = '1000';
const ONE_M = '1000000';
const HEAP_LIMIT = 1_000_000;
const MIN_HEAP_OPS = 1_000_000;

/**
 * Checks the speed and memory targets of DESIGN.md against a report's churn and traces results.
 * @param report the run.
 * @returns one check per target and MeMS contender.
 */
export function checkTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const mems = report.contenders.filter((c) => c.group === 'mems');
  const measuredMems = mems.filter((c) =>
    report.results.some((r) => r.workload === 'churn' && r.contender === c.id),
  );
  const at = (id: string, point: string) => findResult(report, 'churn', id, point);

  for (const [policy, limit] of [
    ['first-fit', 200],
    ['tlsf', 90],
  ] as const) {
    // Not the shared heaps (with or without thread caches): they run in threads only.
    for (const c of mems.filter((m) => m.id.startsWith(`${policy}/`) && !m.id.includes('/shared'))) {
      const r = at(c.id, TEN_K);
      checks.push({
        target: `${policy} ≤ ${limit} ns per churn pair at 10k live`,
        subject: c.label,
        measured: r
          ? `${formatNs(r.ns.median)} ns [${formatNs(r.ns.min)}–${formatNs(r.ns.max)}]`
          : 'not measured',
        met: r ? r.ns.median <= limit : null,
      });
    }
  }
  for (const c of measuredMems) {
    const a = at(c.id, ONE_K);
    const b = at(c.id, ONE_M);
    const growth = a && b ? pairedRatio(b, a) : undefined;
    checks.push({
      target: 'grows ≤ 3× from 1k to 1M live',
      subject: c.label,
      measured:
        a && b && growth
          ? `${formatNs(a.ns.median)} → ${formatNs(b.ns.median)} ns (${ratioCell(growth)})`
          : 'not measured at both 1k and 1M',
      met: growth ? growth.median <= 3 : null,
    });
  }
  for (const c of measuredMems) {
    const s = speedup(report, 'churn', c.id, 'thi.ng', TEN_K);
    checks.push({
      target: '≥ 100× faster than @thi.ng/malloc at 10k live',
      subject: c.label,
      measured: s === undefined ? 'not measured' : `${formatRatio(s)} faster`,
      met: s === undefined ? null : s >= 100,
    });
  }
  for (const c of measuredMems) {
    const ratios = pointsOf(report, 'churn')
      .map((p) => [p, speedup(report, 'churn', c.id, 'koffi-libc', p)] as const)
      .filter((x): x is readonly [string, number] => x[1] !== undefined);
    checks.push({
      target: 'faster than libc malloc via koffi (every live count)',
      subject: c.label,
      measured: ratios.length
        ? ratios.map(([p, s]) => `${formatPoint(p)} ${formatRatio(s)}`).join(', ')
        : 'not measured',
      met: ratios.length ? ratios.every(([, s]) => s > 1) : null,
    });
  }
  for (const c of mems.filter((m) =>
    report.results.some((r) => r.workload === 'traces' && r.contender === m.id),
  )) {
    const ratios = pointsOf(report, 'traces')
      .map((p) => [p, speedup(report, 'traces', c.id, 'native-c', p)] as const)
      .filter((x): x is readonly [string, number] => x[1] !== undefined);
    checks.push({
      target: "within 4× of native glibc on real programs' traces",
      subject: c.label,
      measured: ratios.length
        ? ratios.map(([p, s]) => `${p} ${formatRatio(1 / s)}`).join(', ')
        : 'not measured',
      met: ratios.length ? ratios.every(([, s]) => 1 / s <= 4) : null,
    });
  }
  for (const c of measuredMems) {
    const rs = report.results.filter(
      (r) => r.workload === 'churn' && r.contender === c.id && r.heapGrowthBytes !== null,
    );
    const long = rs.filter((r) => r.heapOps >= MIN_HEAP_OPS);
    const worst = long.reduce<PointResult | undefined>(
      (w, r) => (!w || r.heapGrowthBytes! > w.heapGrowthBytes! ? r : w),
      undefined,
    );
    checks.push({
      target: 'JS heap growth < 1 MB across ≥ 1M steady-state churn pairs',
      subject: c.label,
      measured: worst
        ? `worst ${formatBytes(worst.heapGrowthBytes!, true)} over ${formatCount(worst.heapOps)} pairs at ${formatPoint(worst.point)} live`
        : rs.length
          ? `no point ran 1M pairs (most: ${formatCount(Math.max(...rs.map((r) => r.heapOps)))})`
          : 'not measured',
      met: worst ? long.every((r) => r.heapGrowthBytes! < HEAP_LIMIT) : null,
    });
  }
  for (const c of measuredMems) {
    const rs = report.results.filter(
      (r) => r.workload === 'churn' && r.contender === c.id && r.metadataPerBlock !== null,
    );
    const worst = rs.reduce<PointResult | undefined>(
      (w, r) => (!w || r.metadataPerBlock! > w.metadataPerBlock! ? r : w),
      undefined,
    );
    checks.push({
      target: 'metadata ≤ 48 B per live block',
      subject: c.label,
      measured: worst
        ? `worst ${worst.metadataPerBlock!.toFixed(1)} B at ${formatPoint(worst.point)} live`
        : 'not reported',
      met: worst ? worst.metadataPerBlock! <= 48 : null,
    });
  }
  checks.push(...checkFrontCacheTargets(report));
  checks.push(...checkSharedChurnTargets(report));
  checks.push(...checkLarsonXmallocTargets(report));
  checks.push(...checkAccessTargets(report));
  checks.push(...checkSlabTraceTargets(report));
  return checks;
}

/**
 * The fastest MeMS configurations of issue 20 on the traces, fastest first: tlsf with slabs for
 * medium sizes too (`slabs: { maxBlockSize: 8192 }`), then with the default slabs (both with
 * the front cache). A run's trace targets and ratios are for the first one it measured.
 */
export const FASTEST_ON_TRACES = ['tlsf+slabs8k/mmap', 'tlsf+slabs/mmap'] as const;

/**
 * Issue 20's trace targets for the fastest configuration: at least 1.5× faster than libc
 * through koffi on every trace and within 3× of native glibc, both as paired per-round ratios.
 * @param report the run.
 * @returns the checks (none when no slabs contender replayed traces).
 */
function checkSlabTraceTargets(report: BenchReport): TargetCheck[] {
  const id = FASTEST_ON_TRACES.find((x) => ran(report, 'traces', x));
  const c = report.contenders.find((x) => x.id === id);
  if (id === undefined || c === undefined) return [];
  const against = (peer: string) =>
    pointsOf(report, 'traces')
      .map((p) => [p, pairedSpeedup(report, 'traces', id, peer, p)] as const)
      .filter((x): x is readonly [string, PairedRatio] => x[1] !== undefined);
  const koffi = against('koffi-libc');
  const native = against('native-c');
  return [
    {
      target: '≥ 1.5× faster than libc malloc via koffi on every trace (paired rounds)',
      subject: c.label,
      measured: koffi.length ? koffi.map(([p, r]) => `${p} ${ratioCell(r)}`).join(', ') : 'not measured',
      met: koffi.length ? koffi.every(([, r]) => r.median >= 1.5) : null,
    },
    {
      target: 'within 3× of native glibc on every trace (paired rounds)',
      subject: c.label,
      measured: native.length
        ? native.map(([p, r]) => `${p} ${formatRatio(1 / r.median)}`).join(', ')
        : 'not measured',
      met: native.length ? native.every(([, r]) => 1 / r.median <= 3) : null,
    },
  ];
}

/** The JavaScript floor of the `access` workload: a plain Float64Array per block. */
export const ACCESS_FLOOR = 'typed-array';
/** The `access` contender that calls `heap.memoryOf` per access. */
export const MEMORY_OF_ACCESS = 'tlsf+cache/mmap/a8/memoryOf';
/** The `access` contender that keeps each block's `memoryOf` object. */
export const MEMORY_OF_HOISTED = 'tlsf+cache/mmap/a8/memoryOf-hoisted';
/** The `churn-touch` contender that touches its blocks through `heap.memoryOf`. */
export const MEMORY_OF_TOUCH = 'tlsf+cache/mmap/memoryOf';

/**
 * Issue 20's targets for `heap.memoryOf`: one `memoryOf` call plus an 8-byte write and read at
 * most 25 ns at 10k live blocks (access); the hoisted object within 3× of a plain typed array
 * per block at 10k (access, paired per round); churn-touch through `memoryOf` at least 3×
 * faster than libc through koffi at 1k, 10k and 100k live. A target is listed when its subject ran.
 * @param report the run.
 * @returns the checks.
 */
function checkAccessTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const label = (id: string): string | undefined => report.contenders.find((c) => c.id === id)?.label;
  for (const id of [MEMORY_OF_ACCESS, MEMORY_OF_ACCESS.replace('+cache', '+slabs')]) {
    if (!ran(report, 'access', id)) continue;
    const r = findResult(report, 'access', id, TEN_K);
    checks.push({
      target: 'memoryOf + one 8-byte write and read ≤ 25 ns at 10k live (access)',
      subject: label(id)!,
      measured: r
        ? `${formatNs(r.ns.median)} ns [${formatNs(r.ns.min)}–${formatNs(r.ns.max)}]`
        : 'not measured',
      met: r ? r.ns.median <= 25 : null,
    });
  }
  if (ran(report, 'access', MEMORY_OF_HOISTED)) {
    const own = findResult(report, 'access', MEMORY_OF_HOISTED, TEN_K);
    const floor = findResult(report, 'access', ACCESS_FLOOR, TEN_K);
    const ratio = own && floor ? pairedRatio(own, floor) : undefined;
    checks.push({
      target: 'memoryOf hoisted ≤ 3× a plain typed-array access at 10k live (access)',
      subject: label(MEMORY_OF_HOISTED)!,
      measured:
        own && floor && ratio
          ? `${formatNs(own.ns.median)} against ${formatNs(floor.ns.median)} ns (${ratioCell(ratio)})`
          : 'not measured',
      met: ratio ? ratio.median <= 3 : null,
    });
  }
  for (const touch of [MEMORY_OF_TOUCH, MEMORY_OF_TOUCH.replace('+cache', '+slabs')]) {
    if (!ran(report, 'churn-touch', touch)) continue;
    const ratios = [ONE_K, TEN_K, '100000']
      .map((p) => [p, pairedSpeedup(report, 'churn-touch', touch, 'koffi-libc', p)] as const)
      .filter((x): x is readonly [string, PairedRatio] => x[1] !== undefined);
    checks.push({
      target: '≥ 3× faster than libc malloc via koffi at 1k, 10k, 100k live (churn-touch through memoryOf)',
      subject: label(touch)!,
      measured: ratios.length
        ? ratios.map(([p, r]) => `${formatPoint(p)} ${ratioCell(r)}`).join(', ')
        : 'not measured',
      met: ratios.length === 3 ? ratios.every(([, r]) => r.median >= 3) : null,
    });
  }
  return checks;
}

/**
 * Issue 14's targets for `tlsf` with the front cache: at most 60 ns per churn pair at 10k live,
 * at least 2× faster than libc malloc through koffi (Number pointers) at 1k, 10k and 100k live,
 * and faster than it on every trace.
 * @param report the run.
 * @returns the checks for each front-cache contender that ran churn or traces.
 */
function checkFrontCacheTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const cached = report.contenders.filter(
    (c) => c.id === 'tlsf+cache/mmap' && report.results.some((r) => r.contender === c.id),
  );
  for (const c of cached) {
    const r = findResult(report, 'churn', c.id, TEN_K);
    checks.push({
      target: 'tlsf + front cache ≤ 60 ns per churn pair at 10k live',
      subject: c.label,
      measured: r
        ? `${formatNs(r.ns.median)} ns [${formatNs(r.ns.min)}–${formatNs(r.ns.max)}]`
        : 'not measured',
      met: r ? r.ns.median <= 60 : null,
    });
    const ratios = [ONE_K, TEN_K, '100000']
      .map((p) => [p, speedup(report, 'churn', c.id, 'koffi-libc', p)] as const)
      .filter((x): x is readonly [string, number] => x[1] !== undefined);
    checks.push({
      target: '≥ 2× faster than libc malloc via koffi at 1k, 10k, 100k live (churn)',
      subject: c.label,
      measured: ratios.length
        ? ratios.map(([p, s]) => `${formatPoint(p)} ${formatRatio(s)}`).join(', ')
        : 'not measured',
      met: ratios.length === 3 ? ratios.every(([, s]) => s >= 2) : null,
    });
    const traces = pointsOf(report, 'traces')
      .map((p) => [p, speedup(report, 'traces', c.id, 'koffi-libc', p)] as const)
      .filter((x): x is readonly [string, number] => x[1] !== undefined);
    checks.push({
      target: 'faster than libc malloc via koffi on every trace',
      subject: c.label,
      measured: traces.length ? traces.map(([p, s]) => `${p} ${formatRatio(s)}`).join(', ') : 'not measured',
      met: traces.length ? traces.every(([, s]) => s > 1) : null,
    });
  }
  return checks;
}

/**
 * The shared-churn targets. Issue 12's: a shared first-fit heap used from one worker within
 * 1.5× of `createMems` (first fit, no lock) from one worker. Issue 21's, for every shared heap:
 * two workers at least 1.7× the pairs per second of one (paired per round), and at least 2×
 * faster than libc through koffi at 1 and 2 workers; for a heap with thread caches, one worker
 * within 1.2× of `createMems` with the same policy and its front cache (`api-tlsf`).
 * @param report the run.
 * @returns one check per target and shared contender that ran.
 */
function checkSharedChurnTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const at = (id: string, point: string) => findResult(report, 'shared-churn', id, point);
  const shared = sharedHeapsOf(report, 'shared-churn');
  const againstPrivate = (c: ContenderInfo, reference: string, limit: number, target: string) => {
    const own = at(c.id, '1 worker');
    const other = at(reference, '1 worker');
    const ratio = own && other ? pairedRatio(own, other) : undefined;
    checks.push({
      target,
      subject: c.label,
      measured:
        own && other && ratio
          ? `${formatNs(own.ns.median)} against ${formatNs(other.ns.median)} ns (${ratioCell(ratio)})`
          : 'not measured',
      met: ratio ? ratio.median <= limit : null,
    });
  };
  for (const c of shared.filter((s) => s.id === 'first-fit/shared'))
    againstPrivate(c, 'api', 1.5, 'shared heap from 1 worker ≤ 1.5× createMems (shared-churn)');
  for (const c of shared.filter((s) => s.id === 'tlsf/shared+threadCache'))
    againstPrivate(
      c,
      'api-tlsf',
      1.2,
      'thread caches from 1 worker ≤ 1.2× createMems with the same policy and its front cache (shared-churn)',
    );
  for (const c of shared) {
    const one = at(c.id, workersAt(1));
    const two = at(c.id, workersAt(2));
    const scaling = one && two ? pairedRatio(one, two) : undefined;
    checks.push({
      target: 'shared-churn: 2 workers ≥ 1.7× the pairs per second of 1 worker',
      subject: c.label,
      measured:
        one && two && scaling
          ? `${formatCount(Math.round(1e9 / one.ns.median))} → ${formatCount(Math.round(1e9 / two.ns.median))} pairs/s (${ratioCell(scaling)})`
          : 'not measured at both 1 and 2 workers',
      met: scaling ? scaling.median >= 1.7 : null,
    });
    const koffi = [1, 2]
      .map((n) => [n, pairedSpeedup(report, 'shared-churn', c.id, 'koffi-libc', workersAt(n))] as const)
      .filter((x): x is readonly [number, PairedRatio] => x[1] !== undefined);
    checks.push({
      target: 'shared-churn: ≥ 2× faster than libc via koffi at 1 and 2 workers',
      subject: c.label,
      measured: koffi.length
        ? koffi.map(([n, r]) => `${workersAt(n)} ${ratioCell(r)}`).join(', ')
        : 'not measured',
      met: koffi.length === 2 ? koffi.every(([, r]) => r.median >= 2) : null,
    });
  }
  return checks;
}

/** The point of a thread workload at `n` workers. */
const workersAt = (n: number): string => (n === 1 ? '1 worker' : `${n} workers`);

/** Whether a contender id names a MeMS shared heap (`…/shared`, `…/shared+threadCache`). */
const isSharedHeap = (id: string): boolean => id.endsWith('/shared') || id.endsWith('/shared+threadCache');

/**
 * The MeMS shared heaps (with or without thread caches) that ran a workload.
 * @param report the run.
 * @param workload a thread workload.
 * @returns their infos, in report order.
 */
function sharedHeapsOf(report: BenchReport, workload: WorkloadId): ContenderInfo[] {
  return report.contenders.filter((c) => isSharedHeap(c.id) && ran(report, workload, c.id));
}

/**
 * Issue 21's targets on the larson and xmalloc workloads, for every MeMS shared heap that ran
 * them: larson with 2 workers at least 1.7× the pairs per second of 1 worker (the paired
 * per-round ratio of the two points' times, one process each round), larson at least 2× faster
 * than libc through koffi at 1 and at 2 workers, and xmalloc no slower than 1.2× libc through
 * koffi at every worker count measured (paired per round).
 * @param report the run.
 * @returns the checks.
 */
function checkLarsonXmallocTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const c of sharedHeapsOf(report, 'larson')) {
    const one = findResult(report, 'larson', c.id, workersAt(1));
    const two = findResult(report, 'larson', c.id, workersAt(2));
    const scaling = one && two ? pairedRatio(one, two) : undefined;
    checks.push({
      target: 'larson: 2 workers ≥ 1.7× the pairs per second of 1 worker',
      subject: c.label,
      measured:
        one && two && scaling
          ? `${formatCount(Math.round(1e9 / one.ns.median))} → ${formatCount(Math.round(1e9 / two.ns.median))} pairs/s (${ratioCell(scaling)})`
          : 'not measured at both 1 and 2 workers',
      met: scaling ? scaling.median >= 1.7 : null,
    });
    const koffi = [1, 2]
      .map((n) => [n, pairedSpeedup(report, 'larson', c.id, 'koffi-libc', workersAt(n))] as const)
      .filter((x): x is readonly [number, PairedRatio] => x[1] !== undefined);
    checks.push({
      target: 'larson: ≥ 2× faster than libc via koffi at 1 and 2 workers',
      subject: c.label,
      measured: koffi.length
        ? koffi.map(([n, r]) => `${workersAt(n)} ${ratioCell(r)}`).join(', ')
        : 'not measured',
      met: koffi.length === 2 ? koffi.every(([, r]) => r.median >= 2) : null,
    });
  }
  for (const c of sharedHeapsOf(report, 'xmalloc')) {
    const slower = pointsOf(report, 'xmalloc')
      .map((p) => {
        const own = findResult(report, 'xmalloc', c.id, p);
        const libc = findResult(report, 'xmalloc', 'koffi-libc', p);
        return [p, own && libc ? pairedRatio(own, libc) : undefined] as const;
      })
      .filter((x): x is readonly [string, PairedRatio] => x[1] !== undefined);
    checks.push({
      target: 'xmalloc: no worse than 1.2× of libc via koffi (ours ÷ its time, every worker count)',
      subject: c.label,
      measured: slower.length ? slower.map(([p, r]) => `${p} ${ratioCell(r)}`).join(', ') : 'not measured',
      met: slower.length ? slower.every(([, r]) => r.median <= 1.2) : null,
    });
  }
  return checks;
}

/** The workloads of worker threads, whose points are worker counts. */
export const THREAD_WORKLOAD_IDS: readonly WorkloadId[] = ['shared-churn', 'larson', 'xmalloc'];

/**
 * How a thread workload scales: one row per contender, one column per worker count; a cell is
 * the pairs per second of the whole process (1e9 ÷ the median ns) and, past 1 worker, how many
 * times the pairs per second of 1 worker it is (the median [range] of the paired per-round
 * ratios: 2× means twice the throughput).
 * @param report the run.
 * @param workload a thread workload.
 * @returns the header and the rows (none for a workload that did not run).
 */
export function scalingTable(
  report: BenchReport,
  workload: WorkloadId,
): { header: string[]; rows: string[][] } {
  const points = pointsOf(report, workload);
  const header = ['contender', ...points];
  const rows = contendersOf(report, workload)
    .filter((c) => ran(report, workload, c.id))
    .map((c) => {
      const one = findResult(report, workload, c.id, workersAt(1));
      return [
        c.label,
        ...points.map((p) => {
          const r = findResult(report, workload, c.id, p);
          if (!r) return '—';
          const rate = `${formatCount(Math.round(1e9 / r.ns.median))}/s`;
          if (p === workersAt(1) || !one) return rate;
          return `${rate} (${ratioCell(pairedRatio(one, r))})`;
        }),
      ];
    });
  return { header, rows };
}

/**
 * The word for a check's outcome.
 * @param met the outcome.
 * @returns `met`, `MISSED` or `not measured`.
 */
export function verdict(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : 'MISSED';
}

/**
 * How many interleaved rounds a workload ran.
 * @param report the run.
 * @param workload the workload.
 * @returns the report's round count for it, 1 for runs before rounds.
 */
export function roundsOf(report: BenchReport, workload: WorkloadId): number {
  return report.rounds?.[workload] ?? 1;
}

/**
 * The paired ratios round by round: for each contender in `denominators` and each point where
 * both it and `numerator` were measured, `numerator`'s median ns ÷ its median ns in every round,
 * then the median and range over the rounds.
 * @param report the run.
 * @param workload the workload.
 * @param numerator the id whose time is divided (a peer, for "how many times faster").
 * @param denominators the ids it is divided by, in row order.
 * @returns the header (contender, point, one column per round, median, range) and the rows.
 */
export function roundRatioTable(
  report: BenchReport,
  workload: WorkloadId,
  numerator: string,
  denominators: readonly string[],
): { header: string[]; rows: string[][] } {
  const rounds = roundsOf(report, workload);
  const header = [
    'contender',
    'point',
    ...Array.from({ length: rounds }, (_, r) => `round ${r + 1}`),
    'median',
    'range',
  ];
  const rows: string[][] = [];
  for (const id of denominators) {
    const c = report.contenders.find((x) => x.id === id);
    if (!c) continue;
    for (const p of pointsOf(report, workload)) {
      const a = findResult(report, workload, numerator, p);
      const b = findResult(report, workload, id, p);
      const ratio = a && b ? pairedRatio(a, b) : undefined;
      if (!ratio) continue;
      rows.push([
        c.label,
        formatPoint(p),
        ...Array.from({ length: rounds }, (_, r) => {
          const v = ratio.perRound[r];
          return v === undefined || v === null ? '—' : formatRatio(v);
        }),
        formatRatio(ratio.median),
        `${formatRatio(ratio.min)}–${formatRatio(ratio.max)}`,
      ]);
    }
  }
  return { header, rows };
}

/**
 * The rounds of a run in words: `5 interleaved rounds per workload`, or, when they differ,
 * `2 interleaved rounds for churn, 1 for the other workloads` (the most common count last).
 * @param report the run.
 * @returns the phrase, or null for a run before rounds or of one round everywhere.
 */
export function roundsPhrase(report: BenchReport): string | null {
  const entries = Object.entries(report.rounds ?? {}) as [WorkloadId, number][];
  if (entries.length === 0 || entries.every(([, n]) => n === 1)) return null;
  const counts = new Map<number, WorkloadId[]>();
  for (const [w, n] of entries) counts.set(n, [...(counts.get(n) ?? []), w]);
  if (counts.size === 1) return `${entries[0]![1]} interleaved rounds per workload`;
  const common = [...counts.entries()].sort((a, b) => b[1].length - a[1].length)[0]![0];
  const others = [...counts.entries()]
    .filter(([n]) => n !== common)
    .map(([n, ws]) => `${n} interleaved round${n === 1 ? '' : 's'} for ${ws.join(', ')}`);
  return `${others.join('; ')}, ${common} for the other workloads`;
}
