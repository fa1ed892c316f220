#!/usr/bin/env node
// `pnpm demo ...` from a folder of the repository other than its root: pnpm finds no `demo`
// script in the nearest package.json and runs this command instead (linked into the root's
// node_modules/.bin), which does exactly what the root's `demo` script does. pnpm runs it in
// the folder it was started from but does not set INIT_CWD (which the root script uses for
// relative paths), so set it here: a value inherited from an outer pnpm script would be wrong.
process.env.INIT_CWD = process.cwd();
await import('../../../scripts/demo.mjs');
