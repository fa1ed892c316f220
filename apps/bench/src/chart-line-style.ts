import { POLICY_NAMES, type PolicyName } from '@mems/core';
import { describeValue, MemsError } from '@mems/os';
import { OKABE_ITO, policyColor } from '@mems/stats';

/** How one contender's line is drawn in the bench's charts. */
export interface LineStyle {
  /** Stroke colour, `#RRGGBB`. */
  readonly color: string;
  /** SVG `stroke-dasharray`, `''` for solid. */
  readonly dash: string;
}

/**
 * The dash of a MeMS core row by its variant: the policy gives the colour (the same as in the
 * visualiser and `mems-demo compare --svg`), the variant the dash, so every row differs.
 */
export const VARIANT_DASHES = Object.freeze({
  /** Real pages (`/mmap`), the front cache off: solid. */
  mmap: '',
  /** Real pages with the front cache (`+cache/mmap`, the default for tlsf and best fit). */
  cache: '12 4',
  /** The mock provider (`/mock`): what real pages cost. */
  mock: '3 3',
  /** The mock provider with the front cache. */
  cacheMock: '12 4 3 4',
  /** Real pages with slabs and the front cache (`+slabs/mmap`). */
  slabs: '6 3 1 3',
  /** Real pages with slabs up to 8 KiB and the front cache (`+slabs8k/mmap`). */
  slabs8k: '6 3 1 3 1 3',
} as const);

/** The peers' and the baseline's lines: the Okabe–Ito colours the policies leave free, then dashes. */
const OTHERS: Readonly<Record<string, LineStyle>> = {
  // Dash-dot as well: vermillion stands beside next fit's orange.
  api: { color: OKABE_ITO.vermillion, dash: '8 3 2 3' },
  'thi.ng': { color: OKABE_ITO.skyBlue, dash: '' },
  'shared-memory-objects': { color: OKABE_ITO.skyBlue, dash: '12 4' },
  'koffi-libc': { color: OKABE_ITO.black, dash: '' },
  'koffi-libc-bigint': { color: OKABE_ITO.black, dash: '12 4' },
  'native-c': { color: OKABE_ITO.black, dash: '3 3' },
  baseline: { color: '#7F7F7F', dash: '2 4' },
};

/** A contender nobody gave a style: grey, dotted (still told apart by its legend label). */
const UNKNOWN: LineStyle = { color: '#7F7F7F', dash: '1 3' };

/**
 * The colour and dash of a contender's line: a MeMS core row (`<policy>/<provider>`,
 * `<policy>+cache/<provider>`, `<policy>+slabs/mmap` or `<policy>+slabs8k/mmap`) in its policy's colour (`policyColor` of `@mems/stats`) and its
 * variant's dash ({@link VARIANT_DASHES}); a peer or the baseline in a colour of its own.
 * @param id the contender's id, for example `tlsf+cache/mmap` or `koffi-libc`.
 * @returns its line style.
 * @throws MemsError `EINVAL` when `id` is not a string.
 */
export function chartLineStyle(id: string): LineStyle {
  if (typeof id !== 'string')
    throw new MemsError('EINVAL', `chartLineStyle(id): expected a contender id, got ${describeValue(id)}`);
  const core = /^([a-z-]+)(\+cache|\+slabs8k|\+slabs)?\/(mmap|mock)$/.exec(id);
  if (core !== null && (POLICY_NAMES as readonly string[]).includes(core[1]!)) {
    const mock = core[3] === 'mock';
    const dashes = {
      '': mock ? VARIANT_DASHES.mock : VARIANT_DASHES.mmap,
      '+cache': mock ? VARIANT_DASHES.cacheMock : VARIANT_DASHES.cache,
      // (There is no slabs row on the mock provider: the dash says slabs all the same.)
      '+slabs': VARIANT_DASHES.slabs,
      '+slabs8k': VARIANT_DASHES.slabs8k,
    } as const;
    const dash = dashes[(core[2] ?? '') as keyof typeof dashes];
    return { color: policyColor(core[1] as PolicyName), dash };
  }
  return OTHERS[id] ?? UNKNOWN;
}
