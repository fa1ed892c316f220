import { describe, expect, it } from 'vitest';
import { validationSummary } from './validation-line.js';

const progress = (checked: number, failures: [number, string][] = []) => ({
  checked,
  failures: new Map(failures),
});

describe('validationSummary', () => {
  it('says validate() passed here and after every step of a fully checked run', () => {
    expect(validationSummary(progress(11), 11, 4, null)).toEqual({
      ok: true,
      text: '✓ validate() passed after this step; it ran after every one of the 11 steps, all passed',
    });
  });

  it('shows the message of a failure at this step, and the other steps that failed', () => {
    const failures: [number, string][] = [
      [3, 'EFAULT: bad'],
      [5, 'EFAULT: worse'],
    ];
    expect(validationSummary(progress(11, failures), 11, 3, 'EFAULT: bad')).toEqual({
      ok: false,
      text: '✗ validate() failed after this step: EFAULT: bad; it failed after step(s) 5',
    });
    // Passing here does not hide a failure elsewhere.
    expect(validationSummary(progress(11, failures), 11, 0, null).ok).toBe(false);
    expect(validationSummary(progress(11, [[3, 'x']]), 11, 3, 'x').text).toBe(
      '✗ validate() failed after this step: x; it ran after every one of the 11 steps',
    );
  });

  it('lists at most ten failed steps', () => {
    const failures = Array.from({ length: 12 }, (_, i): [number, string] => [i + 1, 'x']);
    expect(validationSummary(progress(20, failures), 20, 0, null).text).toBe(
      '✓ validate() passed after this step; it failed after step(s) 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …',
    );
  });

  it('reports the progress of the background check of a long run', () => {
    expect(validationSummary(progress(2500), 6001, 6000, null).text).toBe(
      '✓ validate() passed after this step; checking every step in the background: 2500 of 6001 so far, all passed',
    );
    expect(validationSummary(progress(2500, [[7, 'x']]), 6001, 6000, null)).toEqual({
      ok: false,
      text: '✓ validate() passed after this step; checking every step in the background: 2500 of 6001 so far, failed after step(s) 7',
    });
  });
});
