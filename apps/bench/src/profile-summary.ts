// Summarises a V8 CPU profile (node --cpu-prof): self time per function, largest first.
// Usage: node dist/profile-summary.js FILE.cpuprofile [top=25]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The parts of a .cpuprofile this reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One function's share of a profile. */
export interface FunctionShare {
  /** `name (file:line)`. */
  readonly name: string;
  /** Microseconds spent in the function itself. */
  readonly selfMicros: number;
  /** Share of all sampled time, 0..1. */
  readonly share: number;
}

/**
 * Self time per function, merged by name and place, largest first.
 * @param profile a parsed .cpuprofile.
 * @returns the functions.
 */
export function selfTimes(profile: CpuProfile): FunctionShare[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const micros = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const frame = byNode.get(id)?.callFrame;
    const name = frame
      ? `${frame.functionName || '(anonymous)'}${frame.url ? ` (${basename(frame.url)}:${frame.lineNumber + 1})` : ''}`
      : '(unknown)';
    micros.set(name, (micros.get(name) ?? 0) + dt);
    total += dt;
  });
  return [...micros.entries()]
    .map(([name, selfMicros]) => ({ name, selfMicros, share: total > 0 ? selfMicros / total : 0 }))
    .sort((a, b) => b.selfMicros - a.selfMicros);
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node profile-summary.js FILE.cpuprofile [top]\n');
    process.exit(2);
  }
  const rows = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  for (const r of rows.slice(0, Number(top))) {
    process.stdout.write(
      `${(r.share * 100).toFixed(1).padStart(5)}%  ${(r.selfMicros / 1000).toFixed(0).padStart(7)} ms  ${r.name}\n`,
    );
  }
}
