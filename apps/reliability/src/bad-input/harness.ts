/**
 * The bad-input harness: each case is one call that the documentation says must throw a
 * `MemsError` with a given code. The harness checks the code, that the message starts with
 * the call's name and names the offending value, and that the call changed nothing: the
 * fixture's `observe()` (stats text, snapshot, provider accounting, every live byte) is the
 * same before and after.
 */
import { isMemsError, type MemsErrorCode } from '@mems/os';
import { mentionOf, show } from '@mems/reference-model';
import { expect, it } from 'vitest';

export interface BadCase {
  /** The call as a reader would write it, e.g. `mems_free(1050) [interior]`. */
  title: string;
  /** How the message must start: the call's name, e.g. `mems_free`. */
  call: string;
  code: MemsErrorCode;
  /** Substrings the message must contain (the offending value, as `mentionOf` writes it). */
  mentions: string[];
  run: () => unknown;
}

/**
 * A case: `call(args...)` must throw `code` and name `offending`.
 * @param call the name the message starts with (also used in the title).
 * @param code the documented code.
 * @param args the arguments as shown in the title.
 * @param offending the value(s) the message must name (default: none).
 * @param run the call itself.
 * @param note an explanation appended to the title, e.g. `interior`.
 */
export function badCase(
  call: string,
  code: MemsErrorCode,
  args: readonly unknown[],
  offending: readonly unknown[],
  run: () => unknown,
  note?: string,
): BadCase {
  return {
    title: `${call}(${args.map(show).join(', ')})${note === undefined ? '' : ` [${note}]`}`,
    call,
    code,
    mentions: offending.filter((v) => v !== undefined).map(mentionOf),
    run,
  };
}

/** Checks one case against a fixture's observation of everything it holds. */
export function checkRefused(c: BadCase, observe: () => string): void {
  const before = observe();
  let threw = false;
  let error: unknown;
  let returned: unknown;
  try {
    returned = c.run();
  } catch (e) {
    threw = true;
    error = e;
  }
  if (!threw) expect.fail(`${c.title} returned ${show(returned)} instead of throwing MemsError ${c.code}`);
  if (!isMemsError(error, c.code))
    expect.fail(
      `${c.title} threw ${isMemsError(error) ? `MemsError ${error.code}: ${error.message}` : String(error)} instead of MemsError ${c.code}`,
    );
  expect(error.message.startsWith(c.call), `the message names the call ${c.call}: ${error.message}`).toBe(
    true,
  );
  for (const mention of c.mentions)
    expect(error.message.includes(mention), `the message names the value ${mention}: ${error.message}`).toBe(
      true,
    );
  expect(observe(), `${c.title} changed nothing`).toBe(before);
}

/** Counts the cases registered in this test file (printed by no one; the README counts with `vitest list`). */
let registered = 0;

/**
 * Registers one test per case.
 * @param cases the cases.
 * @param observe reads the fixture's whole observable state (called when the tests run).
 */
export function itRefuses(cases: readonly BadCase[], observe: () => string): void {
  for (const c of cases) {
    registered++;
    it(`${c.title} → ${c.code}`, () => checkRefused(c, observe));
  }
}

export function registeredCases(): number {
  return registered;
}
