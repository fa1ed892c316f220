import { fileURLToPath } from 'node:url';

// This file sits directly in src/ (tests) and is bundled directly into dist/ (runs), so `..`
// is apps/bench/ either way. Files in subfolders must take their paths from here.

/** `apps/bench/`. */
export const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url));
/** `apps/bench/native/`: the C sources. */
export const NATIVE_DIR = fileURLToPath(new URL('../native/', import.meta.url));
/** `apps/bench/traces/`: the committed traces. */
export const TRACES_DIR = fileURLToPath(new URL('../traces/', import.meta.url));
/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
