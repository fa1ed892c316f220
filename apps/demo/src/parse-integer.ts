import { InvalidArgumentError } from 'commander';

/**
 * Parses a whole number given on the command line or in the REPL: decimal (`4096`, `-1`) or
 * hexadecimal (`0x1000`). Ranges are left to MeMS, whose errors say what is allowed.
 * @param text the argument.
 * @returns the number (possibly negative or unsafe; MeMS checks).
 * @throws InvalidArgumentError when `text` is not an integer.
 */
export function parseInteger(text: string): number {
  const trimmed = text.trim();
  if (/^[+-]?\d+$/.test(trimmed)) return Number(trimmed);
  if (/^0x[0-9a-f]+$/i.test(trimmed)) return Number.parseInt(trimmed.slice(2), 16);
  throw new InvalidArgumentError(`${JSON.stringify(text)} is not an integer`);
}
