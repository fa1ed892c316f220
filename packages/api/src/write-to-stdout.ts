/** Where {@link writeToStdout} looks for `process.stdout`: normally `globalThis`. */
export interface StdoutScope {
  /** Node's (or a polyfill's) `process`, when there is one. */
  process?: { stdout?: { write?: unknown } };
}

/**
 * Writes text to standard output without adding anything: through `process.stdout.write`
 * where it exists (Node, Bun, Deno's Node layer), else through `console.log` with the text's
 * final newline removed, since `console.log` adds one. Browser-safe: nothing is imported.
 * @param text the text to write.
 * @param scope where to look for `process`; tests pass a fake. Default `globalThis`.
 */
export function writeToStdout(text: string, scope: StdoutScope = globalThis as StdoutScope): void {
  const stdout = scope.process?.stdout;
  if (stdout !== undefined && stdout !== null && typeof stdout.write === 'function') {
    (stdout.write as (chunk: string) => unknown).call(stdout, text);
    return;
  }
  console.log(text.endsWith('\n') ? text.slice(0, -1) : text);
}
