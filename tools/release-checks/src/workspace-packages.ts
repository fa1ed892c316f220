import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder (this file is tools/release-checks/src/workspace-packages.ts). */
export const REPO_ROOT: string = fileURLToPath(new URL('../../../', import.meta.url));

/** The fields of a package.json these checks read. */
export interface PackageManifest {
  /** The package's name. */
  name: string;
  /** Its version. */
  version: string;
  /** `true` for a package that is never published. */
  private?: boolean;
  /** Its licence (SPDX). */
  license?: string;
  /** Who wrote it. */
  author?: string;
  /** Where its source lives. */
  repository?: { type?: string; url?: string; directory?: string };
  /** Its home page. */
  homepage?: string;
  /** Where to report bugs. */
  bugs?: { url?: string };
  /** Search keywords. */
  keywords?: string[];
  /** Supported runtimes. */
  engines?: Record<string, string>;
  /** What `pnpm pack` includes. */
  files?: string[];
  /** Installed with the package. */
  dependencies?: Record<string, string>;
  /** Installed for development only. */
  devDependencies?: Record<string, string>;
  /** Installed with the package unless optional. */
  optionalDependencies?: Record<string, string>;
  /** What the consumer must provide. */
  peerDependencies?: Record<string, string>;
  /** Which peers are optional. */
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** One package of the pnpm workspace. */
export interface WorkspacePackage {
  /** Its name. */
  name: string;
  /** Its folder, absolute. */
  dir: string;
  /** Its folder relative to the repository root, with forward slashes (`packages/os`). */
  path: string;
  /** Its package.json. */
  manifest: PackageManifest;
}

/**
 * Reads a package.json.
 * @param dir the package's folder.
 * @returns the parsed manifest.
 * @throws Error when the file is missing or is not JSON.
 */
export function readManifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
}

/**
 * Runs a command in a folder and returns its stdout.
 * @param command the program (found on PATH).
 * @param args its arguments.
 * @param cwd where to run it.
 * @returns what it printed on stdout.
 * @throws Error naming the command, its exit code and its stderr when it fails.
 */
export function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/**
 * Every package of the workspace except the root, as pnpm lists them (`pnpm ls -r`).
 * @returns the packages, private ones included.
 */
export function workspacePackages(): WorkspacePackage[] {
  const listed = JSON.parse(run('pnpm', ['ls', '-r', '--depth', '-1', '--json'], REPO_ROOT)) as {
    path: string;
  }[];
  return listed
    .filter((entry) => relative(REPO_ROOT, entry.path) !== '')
    .map((entry) => {
      const manifest = readManifest(entry.path);
      return {
        name: manifest.name,
        dir: entry.path,
        path: relative(REPO_ROOT, entry.path).split('\\').join('/'),
        manifest,
      };
    });
}

/**
 * The packages we publish: every workspace package not marked `private`.
 * @returns them, in pnpm's order.
 */
export function publishedPackages(): WorkspacePackage[] {
  return workspacePackages().filter((pkg) => pkg.manifest.private !== true);
}
