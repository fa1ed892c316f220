#!/usr/bin/env node
// `pnpm visualize [--port N]`: serves the built visualiser (apps/visualizer/dist) on
// http://127.0.0.1:4173 and stops on Ctrl+C. The root script builds it first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startStaticServer } from './static-server.mjs';

const USAGE = 'usage: pnpm visualize [--port <port>]   (default 4173; 0 picks a free port)';

let values;
try {
  ({ values } = parseArgs({
    options: { port: { type: 'string', short: 'p' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }));
} catch (error) {
  process.stderr.write(`visualize: ${error.message}\n${USAGE}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const portText = values.port ?? '4173';
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) {
  process.stderr.write(
    `visualize: --port ${JSON.stringify(portText)} must be a whole number from 0 to 65535\n${USAGE}\n`,
  );
  process.exit(2);
}
const root = fileURLToPath(new URL('../dist/', import.meta.url));
if (!existsSync(`${root}index.html`)) {
  process.stderr.write(`visualize: ${root}index.html is missing; build first (pnpm build)\n`);
  process.exit(1);
}
let server;
try {
  server = await startStaticServer({ root, port });
} catch (error) {
  const reason = error.code === 'EADDRINUSE' ? `port ${port} is in use; try --port <another>` : error.message;
  process.stderr.write(`visualize: ${reason}\n`);
  process.exit(1);
}
process.stdout.write(`MeMS visualizer: ${server.url}  (Ctrl+C to stop)\n`);
const stop = async () => {
  await server.close();
  process.stdout.write('\nvisualize: stopped\n');
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
