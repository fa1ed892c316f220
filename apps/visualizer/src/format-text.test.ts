import { describe, expect, it } from 'vitest';
import { countText, earlierStepsText, laterStepsText, stepsText } from './format-text.js';

describe('counts in words', () => {
  it('uses the singular for exactly one, the plural otherwise', () => {
    expect(countText(1, 'page')).toBe('1 page');
    expect(countText(2, 'page')).toBe('2 pages');
    expect(countText(0, 'hole')).toBe('0 holes');
    expect(countText(1, 'step')).toBe('1 step');
  });

  it('names the steps where something happened: step 0 is the fresh heap', () => {
    expect(stepsText([7])).toBe('after step 7');
    expect(stepsText([3, 5])).toBe('after steps 3, 5');
    expect(stepsText([0])).toBe('on the fresh heap');
    expect(stepsText([0, 4])).toBe('on the fresh heap and after step 4');
    expect(stepsText([1, 2, 3], 2)).toBe('after steps 1, 2, …');
  });

  it('says which steps the step list leaves out, by their numbers (the same as k / n)', () => {
    expect(earlierStepsText(1)).toBe('… the start (step 0) above');
    expect(earlierStepsText(2)).toBe('… the start and step 1 above');
    expect(earlierStepsText(20)).toBe('… the start and steps 1–19 above');
    expect(laterStepsText(40, 40)).toBe('… step 40 below');
    expect(laterStepsText(40, 3000)).toBe('… steps 40–3000 below');
  });
});
