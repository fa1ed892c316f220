import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The packages an A/B build bundles from source: what `@mems/api` needs, and no more. */
const PACKAGES = ['os', 'core', 'stats', 'api'] as const;

/** What an A/B side exports: the two creators its trials call, and the provider they use. */
export interface AbSide {
  /** `@mems/core`'s `createHeap` of that tree. */
  readonly createHeap: (options?: Record<string, unknown>) => {
    allocate(size: number): number;
    free(address: number): void;
    destroy(): void;
  };
  /** `@mems/api`'s `createMems` of that tree. */
  readonly createMems: (options?: Record<string, unknown>) => {
    malloc(size: number): number;
    free(address: number): void;
    finish(): void;
  };
  /** `@mems/os`'s `createMockProvider` of that tree (no mapping in steady-state churn). */
  readonly createMockProvider: () => unknown;
}

/** One built side: where its bundle is and what it was built from. */
export interface BuiltSide {
  /** `'working tree'`, or the ref as given. */
  readonly label: string;
  /** The commit (40 hex digits), or null for the working tree. */
  readonly commit: string | null;
  /** The bundle's path. */
  readonly file: string;
}

/**
 * The commit a git ref names in the repository at `root`.
 * @param root the repository.
 * @param ref a branch, tag or commit.
 * @returns the full commit id.
 * @throws Error naming the ref when git does not know it.
 */
export function resolveCommit(root: string, ref: string): string {
  if (typeof ref !== 'string' || ref === '' || ref.startsWith('-'))
    throw new Error(`resolveCommit: ${JSON.stringify(ref)} is not a git ref`);
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
  } catch {
    throw new Error(`resolveCommit: git does not know ${JSON.stringify(ref)} in ${root}`);
  }
}

/**
 * Bundles one tree's `@mems/os`, `@mems/core`, `@mems/stats` and `@mems/api` sources into one
 * ES module, with the same esbuild settings for every side, so an A/B compares the code and
 * nothing else (not tsup's settings of the day, not a stale dist).
 * @param sourceRoot a directory holding `packages/<name>/src` for each package.
 * @param outfile where the bundle goes.
 */
async function bundle(sourceRoot: string, outfile: string): Promise<void> {
  const esbuild = await import('esbuild');
  const entry = (name: string): string => join(sourceRoot, 'packages', name, 'src', 'index.ts');
  await esbuild
    .build({
      stdin: {
        contents: [
          `export { createHeap } from ${JSON.stringify(entry('core'))};`,
          `export { createMems } from ${JSON.stringify(entry('api'))};`,
          `export { createMockProvider } from ${JSON.stringify(entry('os'))};`,
        ].join('\n'),
        resolveDir: sourceRoot,
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      minifySyntax: true,
      outfile,
      external: ['koffi'],
      logLevel: 'silent',
      plugins: [
        {
          name: 'mems-sources',
          setup(build) {
            // `@mems/<name>` is its package's src/index.ts; `@mems/<name>/<entry>` its src/<entry>.ts.
            build.onResolve({ filter: /^@mems\/(os|core|stats|api)(\/[a-z-]+)?$/ }, (args) => {
              const [name, sub] = args.path.slice('@mems/'.length).split('/') as [string, string?];
              return {
                path:
                  sub === undefined ? entry(name) : join(sourceRoot, 'packages', name, 'src', `${sub}.ts`),
              };
            });
          },
        },
      ],
    })
    .catch((error: { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
      const details = (error.errors ?? []).map(
        (e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`,
      );
      throw new Error(`bench:ab: cannot bundle ${sourceRoot}: ${details.join('; ') || String(error)}`);
    });
}

/**
 * Builds the A/B side of a git ref: its package sources (taken with `git archive`, so the
 * working tree is untouched) bundled into `cacheDir/<commit>/mems.mjs`; a commit built before
 * is reused.
 * @param root the repository.
 * @param ref the ref to build.
 * @param cacheDir where builds are kept (apps/bench/.ab, ignored by git).
 * @returns the built side.
 * @throws Error when the ref is unknown or lacks one of the packages.
 */
export async function buildRef(root: string, ref: string, cacheDir: string): Promise<BuiltSide> {
  const commit = resolveCommit(root, ref);
  const dir = join(cacheDir, commit);
  const file = join(dir, 'mems.mjs');
  if (!existsSync(file)) {
    const sources = join(dir, 'src');
    rmSync(sources, { recursive: true, force: true });
    mkdirSync(sources, { recursive: true });
    const paths = PACKAGES.map((name) => `packages/${name}/src`);
    const archive = execFileSync('git', ['archive', '--format=tar', commit, ...paths], {
      cwd: root,
      maxBuffer: 1 << 30,
    });
    execFileSync('tar', ['-x', '-C', sources], { input: archive });
    await bundle(sources, file);
  }
  return { label: ref, commit, file };
}

/**
 * Builds the A/B side of the working tree as it is on disk (uncommitted edits included) into
 * `cacheDir/working-tree/mems.mjs`, rebuilt every time.
 * @param root the repository.
 * @param cacheDir where builds are kept.
 * @returns the built side.
 */
export async function buildWorkingTree(root: string, cacheDir: string): Promise<BuiltSide> {
  const file = join(cacheDir, 'working-tree', 'mems.mjs');
  await bundle(root, file);
  return { label: 'working tree', commit: null, file };
}

/**
 * Loads a built side. Two sides are two separate module graphs (their own classes, their own
 * compiled code), so one process can alternate them.
 * @param side a side from {@link buildRef} or {@link buildWorkingTree}.
 * @returns its exports.
 * @throws Error when the bundle lacks one of them.
 */
export async function loadSide(side: BuiltSide): Promise<AbSide> {
  const module = (await import(pathToFileURL(side.file).href)) as Partial<AbSide>;
  for (const name of ['createHeap', 'createMems', 'createMockProvider'] as const)
    if (typeof module[name] !== 'function') throw new Error(`loadSide: ${side.file} exports no ${name}`);
  return module as AbSide;
}
