// `pnpm start`: builds quietly (nothing printed when nothing needs building), then runs the seed's
// example program, so that `pnpm --silent start` prints exactly
// apps/demo/src/fixtures/seed-example-output.txt with the physical address.
import { runDemo } from './run-demo.mjs';

await runDemo(['example']);
