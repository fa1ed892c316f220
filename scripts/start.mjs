// `pnpm start`: builds quietly (chatter on stderr), then runs the seed's example program, so that
// `pnpm --silent start` prints exactly apps/demo/src/fixtures/seed-example-output.txt with the
// physical address.
import { runDemo } from './run-demo.mjs';

runDemo(['example']);
