import { describe, expect, it } from 'vitest';
import { validationSummary } from './validation-line.js';

/** `checked` counts states: the fresh heap (step 0), then steps 1, 2, ... */
const progress = (checked: number, failures: [number, string][] = []) => ({
  checked,
  failures: new Map(failures),
});

describe('validationSummary', () => {
  it('counts steps as the timeline does (k / n): the fresh heap is step 0, the n steps are the commands', () => {
    // The seed example: 14 commands, shown as `14 / 14`; validate() ran on 15 states.
    expect(validationSummary(progress(15), 14, 14, null)).toEqual({
      ok: true,
      text: '✓ validate() passed after this step; it ran on the fresh heap and after every one of the 14 steps, all passed',
    });
    expect(validationSummary(progress(15), 14, 0, null).text).toBe(
      '✓ validate() passed on the fresh heap; it ran on the fresh heap and after every one of the 14 steps, all passed',
    );
  });

  it('says "no steps yet" for an empty heap and "the one step" for one command, never "1 steps"', () => {
    expect(validationSummary(progress(1), 0, 0, null)).toEqual({
      ok: true,
      text: '✓ validate() passed on the fresh heap; no steps yet',
    });
    const one = validationSummary(progress(2), 1, 1, null).text;
    expect(one).toBe(
      '✓ validate() passed after this step; it ran on the fresh heap and after the one step, all passed',
    );
    for (const n of [0, 1, 2, 3])
      expect(validationSummary(progress(n + 1), n, n, null).text).not.toMatch(/\b1 steps\b|\(s\)/);
  });

  it('shows the message of a failure at this step, and the other steps that failed', () => {
    const failures: [number, string][] = [
      [3, 'EFAULT: bad'],
      [5, 'EFAULT: worse'],
    ];
    expect(validationSummary(progress(11, failures), 10, 3, 'EFAULT: bad')).toEqual({
      ok: false,
      text: '✗ validate() failed after this step: EFAULT: bad; it failed after step 5',
    });
    // Passing here does not hide a failure elsewhere.
    expect(validationSummary(progress(11, failures), 10, 0, null)).toEqual({
      ok: false,
      text: '✓ validate() passed on the fresh heap; it failed after steps 3, 5',
    });
    expect(validationSummary(progress(11, [[3, 'x']]), 10, 3, 'x').text).toBe(
      '✗ validate() failed after this step: x; it ran on the fresh heap and after every one of the 10 steps',
    );
    expect(validationSummary(progress(11, [[0, 'x']]), 10, 4, null).text).toBe(
      '✓ validate() passed after this step; it failed on the fresh heap',
    );
  });

  it('lists at most ten failed steps', () => {
    const failures = Array.from({ length: 12 }, (_, i): [number, string] => [i + 1, 'x']);
    expect(validationSummary(progress(21, failures), 20, 0, null).text).toBe(
      '✓ validate() passed on the fresh heap; it failed after steps 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …',
    );
  });

  it('reports the progress of the background check of a long run, in steps', () => {
    // 2500 states checked: the fresh heap and steps 1 to 2499.
    expect(validationSummary(progress(2500), 6000, 6000, null).text).toBe(
      '✓ validate() passed after this step; checking every step in the background: 2499 of 6000 so far, all passed',
    );
    expect(validationSummary(progress(2500, [[7, 'x']]), 6000, 6000, null)).toEqual({
      ok: false,
      text: '✓ validate() passed after this step; checking every step in the background: 2499 of 6000 so far, failed after step 7',
    });
  });
});
