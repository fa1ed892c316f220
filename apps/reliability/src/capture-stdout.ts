/**
 * Runs `action` with `process.stdout.write` replaced, and returns what it wrote. Works with
 * and without a test runner (the fuzz CLI uses it too).
 * @param action the code whose output is wanted.
 * @returns everything written to stdout meanwhile.
 */
export function captureStdout(action: () => void): string {
  const stdout = process.stdout;
  const original = stdout.write;
  let text = '';
  stdout.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof stdout.write;
  try {
    action();
  } finally {
    stdout.write = original;
  }
  return text;
}
