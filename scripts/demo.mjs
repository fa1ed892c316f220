// `pnpm demo <args>`: builds quietly (chatter on stderr), then runs `mems-demo <args>`,
// for example `pnpm demo repl` or `pnpm demo --provider mock replay apps/demo/traces/sample.trace`.
import { runDemo } from './run-demo.mjs';

runDemo(process.argv.slice(2));
