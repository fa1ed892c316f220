// `pnpm demo <args>`: builds quietly (nothing printed when nothing needs building), then runs `mems-demo <args>`,
// for example `pnpm demo repl` or `pnpm demo --provider mock replay apps/demo/traces/sample.trace`.
import { runDemo } from './run-demo.mjs';

await runDemo(process.argv.slice(2));
