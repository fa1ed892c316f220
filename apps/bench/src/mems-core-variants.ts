// Which of the heap's fast paths a MeMS core configuration turns on, shared by `pnpm bench`'s
// contenders (contenders.ts) and `pnpm bench:paired`'s configurations (paired/paired-configs.ts),
// so that a configuration's name means the same heap options in both.

/**
 * A MeMS core configuration's fast paths: none, the front cache, slabs up to 1 KiB (the option's
 * default) with the front cache, or slabs up to 8 KiB with the front cache.
 */
export type MemsCoreVariant = 'plain' | 'cache' | 'slabs' | 'slabs8k';

/** Each variant's heap options (beside the policy and the provider). */
export const VARIANT_OPTIONS: Readonly<
  Record<
    MemsCoreVariant,
    { readonly frontCache: boolean; readonly slabs: boolean | { readonly maxBlockSize: number } }
  >
> = {
  plain: { frontCache: false, slabs: false },
  cache: { frontCache: true, slabs: false },
  slabs: { frontCache: true, slabs: true },
  slabs8k: { frontCache: true, slabs: { maxBlockSize: 8192 } },
};

/** Each variant's words in a contender's label (after `MeMS <policy> · <provider>`). */
export const VARIANT_LABELS: Readonly<Record<MemsCoreVariant, string>> = {
  plain: '',
  cache: ' · front cache',
  slabs: ' · slabs + front cache',
  slabs8k: ' · slabs to 8 KiB + front cache',
};
