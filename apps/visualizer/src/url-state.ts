import { POLICY_NAMES, type PolicyName } from '@mems/core';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { DEFAULT_SCENARIO_ID } from './scenarios.js';
import { DEFAULT_OPTIONS, type VisualOptions } from './visual-heap.js';

/** Everything the URL hash carries: opening the URL restores the same view. */
export interface PageState {
  /** The scenario id (`'trace'` for a loaded trace file, `'custom'` for a program typed over another). */
  readonly scenario: string;
  /** The program's lines when they are not the scenario's own; `null` for the scenario's lines. */
  readonly program: readonly string[] | null;
  /** The loaded trace file's name, when `scenario` is `'trace'`. */
  readonly traceName: string | null;
  /** The heap options. */
  readonly options: VisualOptions;
  /** The current step; `null` for the last. */
  readonly step: number | null;
  /** Whether the policy comparison is open. */
  readonly compare: boolean;
}

/** The state of a first visit: the seed's example at its last step with the seed's options. */
export const INITIAL_STATE: PageState = {
  scenario: DEFAULT_SCENARIO_ID,
  program: null,
  traceName: null,
  options: DEFAULT_OPTIONS,
  step: null,
  compare: false,
};

/**
 * Writes a page state as a URL hash (without the `#`). Options equal to the defaults are left
 * out; the program is lz-string compressed so that a trace of thousands of lines fits in a URL.
 * @param state the state.
 * @returns the hash, for example `s=seed&step=3`.
 */
export function encodeHash(state: PageState): string {
  const params = new URLSearchParams();
  params.set('s', state.scenario);
  if (state.program !== null) params.set('p', compressToEncodedURIComponent(state.program.join('\n')));
  if (state.traceName !== null) params.set('name', state.traceName);
  const o = state.options;
  if (o.policy !== DEFAULT_OPTIONS.policy) params.set('policy', o.policy);
  if (o.pageSize !== DEFAULT_OPTIONS.pageSize) params.set('page', String(o.pageSize));
  if (o.startAddress !== DEFAULT_OPTIONS.startAddress) params.set('start', String(o.startAddress));
  if (o.alignment !== DEFAULT_OPTIONS.alignment) params.set('align', String(o.alignment));
  if (o.minNodePages !== DEFAULT_OPTIONS.minNodePages) params.set('minpages', String(o.minNodePages));
  if (o.autoTrim !== DEFAULT_OPTIONS.autoTrim) params.set('autotrim', o.autoTrim ? '1' : '0');
  if (state.step !== null) params.set('step', String(state.step));
  if (state.compare) params.set('compare', '1');
  return params.toString();
}

const integer = (text: string | null): number | null =>
  text !== null && /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null;

/**
 * Reads a URL hash back into a page state. What cannot be read is left at its default and
 * reported, never silently dropped; whether the options make a valid heap is for MeMS to say.
 * @param hash `location.hash`, with or without the `#`.
 * @returns the state and the problems found (empty when none).
 */
export function decodeHash(hash: string): { state: PageState; problems: string[] } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const problems: string[] = [];
  const number = (key: string, fallback: number): number => {
    const text = params.get(key);
    if (text === null) return fallback;
    const value = integer(text);
    if (value === null) {
      problems.push(`URL: ${key}=${JSON.stringify(text)} is not a whole number; using ${fallback}`);
      return fallback;
    }
    return value;
  };
  let policy = DEFAULT_OPTIONS.policy;
  const policyText = params.get('policy');
  if (policyText !== null) {
    if ((POLICY_NAMES as readonly string[]).includes(policyText)) policy = policyText as PolicyName;
    else problems.push(`URL: policy=${JSON.stringify(policyText)} is not one of ${POLICY_NAMES.join(', ')}`);
  }
  let program: string[] | null = null;
  const packed = params.get('p');
  if (packed !== null) {
    const text = decompressFromEncodedURIComponent(packed);
    if (text === null || (text === '' && packed !== 'Q'))
      problems.push('URL: the program (p=...) is damaged');
    else program = text === '' ? [] : text.split('\n');
  }
  const autoTrimText = params.get('autotrim');
  if (autoTrimText !== null && autoTrimText !== '0' && autoTrimText !== '1')
    problems.push(`URL: autotrim=${JSON.stringify(autoTrimText)} must be 0 or 1`);
  const stepText = params.get('step');
  const step = stepText === null ? null : integer(stepText);
  if (stepText !== null && step === null)
    problems.push(`URL: step=${JSON.stringify(stepText)} is not a whole number; showing the last step`);
  return {
    state: {
      scenario: params.get('s') ?? DEFAULT_SCENARIO_ID,
      program,
      traceName: params.get('name'),
      options: {
        policy,
        pageSize: number('page', DEFAULT_OPTIONS.pageSize),
        startAddress: number('start', DEFAULT_OPTIONS.startAddress),
        alignment: number('align', DEFAULT_OPTIONS.alignment),
        minNodePages: number('minpages', DEFAULT_OPTIONS.minNodePages),
        autoTrim: autoTrimText === '1',
      },
      step,
      compare: params.get('compare') === '1',
    },
    problems,
  };
}
