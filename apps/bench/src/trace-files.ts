import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describeValue, MemsError } from '@mems/os';
import { TRACE_RECIPES } from './traces/recipes.js';

/** The file name endings of a trace the replay reads: gzip-compressed or plain text. */
const TRACE_ENDINGS = ['.trace.gz', '.trace'] as const;

/**
 * A trace file's name without its ending (`git-log.trace.gz` → `git-log`).
 * @param file a path or file name.
 * @returns the trace's name.
 */
export function traceNameOf(file: string): string {
  const base = file.replace(/^.*[\\/]/, '');
  for (const ending of TRACE_ENDINGS) if (base.endsWith(ending)) return base.slice(0, -ending.length);
  return base;
}

/**
 * The traces of a folder: every `*.trace.gz` and plain `*.trace`, in the recipes' order
 * (python-json, git-log, …), then the others by name. When a folder holds both `x.trace` and
 * `x.trace.gz`, both would be reported as trace `x`: the `.trace.gz` is replayed and the plain
 * file is returned in `duplicates`.
 * @param dir the folder.
 * @returns the files' paths to replay (possibly none), and the plain files left out as duplicates.
 * @throws MemsError EINVAL when `dir` is not a string or not a folder.
 */
export function traceFilesIn(dir: string): { files: string[]; duplicates: string[] } {
  if (typeof dir !== 'string' || dir === '')
    throw new MemsError(
      'EINVAL',
      `traceFilesIn(dir): dir must be a folder's path, got ${describeValue(dir)}`,
    );
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new MemsError('EINVAL', `traceFilesIn(${describeValue(dir)}): not a folder`);
  const byName = new Map<string, string>();
  const duplicates: string[] = [];
  // Sorted, `x.trace` comes before `x.trace.gz`: the compressed file replaces the plain one.
  for (const f of readdirSync(dir).sort()) {
    if (!TRACE_ENDINGS.some((e) => f.endsWith(e))) continue;
    if (!statSync(join(dir, f)).isFile()) continue;
    const name = traceNameOf(f);
    const before = byName.get(name);
    if (before !== undefined) duplicates.push(before);
    byName.set(name, join(dir, f));
  }
  const order = (name: string): number => {
    const i = TRACE_RECIPES.findIndex((r) => r.name === name);
    return i < 0 ? TRACE_RECIPES.length : i;
  };
  const files = [...byName.keys()]
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((name) => byName.get(name)!);
  return { files, duplicates };
}
