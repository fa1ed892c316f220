import { type MemsCoreVariant, VARIANT_LABELS, VARIANT_OPTIONS } from '../mems-core-variants.js';

/** The variant behind each configuration `pnpm bench:paired --config` knows (all tlsf, on mmap). */
const VARIANTS = {
  'tlsf+slabs8k': 'slabs8k',
  'tlsf+slabs': 'slabs',
  'tlsf+cache': 'cache',
  tlsf: 'plain',
} as const satisfies Record<string, MemsCoreVariant>;

/** A configuration's name: the id of its `pnpm bench` contender without `/mmap`. */
export type PairedConfig = keyof typeof VARIANTS;

/**
 * The MeMS configurations the paired run knows: each one's label (its `pnpm bench` contender's)
 * and heap options, the same as that contender's.
 */
export const PAIRED_CONFIGS = Object.fromEntries(
  Object.entries(VARIANTS).map(([name, variant]) => [
    name,
    { label: `MeMS tlsf · mmap${VARIANT_LABELS[variant]}`, ...VARIANT_OPTIONS[variant] },
  ]),
) as Record<PairedConfig, { readonly label: string } & (typeof VARIANT_OPTIONS)[MemsCoreVariant]>;
