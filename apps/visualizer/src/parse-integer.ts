/**
 * Parses a whole number typed in the command box: decimal (`4096`, `-1`) or hexadecimal
 * (`0x1000`), as the demo REPL reads them. Ranges are left to MeMS, whose errors say what is
 * allowed.
 * @param text the token.
 * @returns the number, or `null` when `text` is not an integer.
 */
export function parseInteger(text: string): number | null {
  const trimmed = text.trim();
  if (/^[+-]?\d+$/.test(trimmed)) return Number(trimmed);
  if (/^0x[0-9a-f]+$/i.test(trimmed)) return Number.parseInt(trimmed.slice(2), 16);
  return null;
}
