/**
 * A tiny parser for the reliability CLIs' `--name value` options (numbers only).
 * @param argv the arguments after the script.
 * @param allowed option names and their help text.
 * @returns the options given, as numbers.
 * @throws Error naming the bad argument (unknown option, missing or non-integer value).
 */
export function parseNumberOptions(
  argv: readonly string[],
  allowed: Record<string, string>,
): Record<string, number> {
  const result: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const name = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !Object.hasOwn(allowed, name))
      throw new Error(
        `unknown argument ${JSON.stringify(arg)}; options: ${Object.keys(allowed)
          .map((n) => `--${n}`)
          .join(', ')}`,
      );
    const text = inline ?? argv[++i];
    const value = Number(text);
    if (text === undefined || text.trim() === '' || !Number.isSafeInteger(value))
      throw new Error(`--${name} needs an integer (${allowed[name]}), got ${JSON.stringify(text ?? '')}`);
    result[name] = value;
  }
  return result;
}

/** Formats an integer with thousands separators: 1,000,000. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
