import { readFileSync } from 'node:fs';
import { HEAP_OPTION_TABLE } from '@mems/core/internal';
import { describe, expect, it } from 'vitest';

// @mems/core's option table (one declaration per option) is the source of the core README's
// option table: the two must agree row for row.

const readme = readFileSync(new URL('../../../packages/core/README.md', import.meta.url), 'utf8');

/** The rows of the README's option table (the table after "Options (`HeapOptions`)"), as cells. */
function readmeOptionRows(): string[][] {
  const from = readme.indexOf('Options (`HeapOptions`)');
  expect(from).toBeGreaterThan(0);
  const lines = readme.slice(from).split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe("the core README's option table", () => {
  it("is @mems/core's option table, row for row (name, default, meaning)", () => {
    expect(readmeOptionRows()).toEqual(
      HEAP_OPTION_TABLE.map((d) => [`\`${d.name}\``, d.defaultText, d.meaning]),
    );
  });
});
