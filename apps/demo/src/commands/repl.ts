import { createInterface } from 'node:readline';
import { createMems } from '@mems/api';
import { colorsFor, wantsColor } from '../colors.js';
import type { HeapSetup } from '../heap-setup.js';
import { ReplSession } from '../repl-session.js';

/**
 * `mems-demo repl`: an interactive shell over one heap (made with `createMems`, so errors name
 * the commands: `free(1234): ...`). On a terminal it shows a banner and a `mems> ` prompt and
 * keeps a history (up and down arrows). When stdin is not a terminal (a pipe or a file) it
 * prints no banner and no prompt, only results on stdout and errors on stderr, each error
 * prefixed with its input line number, and the exit code is 1 when any line failed.
 * @param setup the heap options and provider.
 * @returns the exit code.
 * @throws MemsError `EINVAL` for bad heap options (before anything is read).
 */
export async function runRepl(setup: HeapSetup): Promise<number> {
  const heap = createMems(setup.options);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const session = new ReplSession(
    heap,
    {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    },
    { colors: colorsFor(process.stderr), mapColor: wantsColor(process.stdout), numberErrors: !interactive },
  );
  const rl = createInterface({
    input: process.stdin,
    output: interactive ? process.stdout : undefined,
    terminal: interactive,
    historySize: 1000,
    prompt: 'mems> ',
  });
  if (interactive) {
    const c = colorsFor(process.stdout);
    const { pageSize, startAddress, policy, provider } = heap.stats();
    process.stdout.write(
      `${c.bold('MeMS REPL')}: provider ${provider}, page size ${pageSize}, first address ${startAddress}, ${policy}. Type help for the commands, quit to leave.\n`,
    );
    rl.on('SIGINT', () => rl.close());
    rl.prompt();
  }
  try {
    for await (const line of rl) {
      if (session.execute(line) === 'quit') break;
      if (interactive) rl.prompt();
    }
  } finally {
    rl.close();
    heap.finish();
  }
  if (interactive) return 0;
  return session.errors > 0 ? 1 : 0;
}
