#!/usr/bin/env node
// The `mems-demo` command (`pnpm exec mems-demo ...` from anywhere in the repository): builds
// the workspace quietly (nothing is printed when nothing needs building), then runs the CLI in
// this process, in the directory it was started from.
import { buildQuietly } from '../../../scripts/build-quietly.mjs';

const status = await buildQuietly();
if (status !== 0) process.exit(status);
await import('../dist/cli.js');
