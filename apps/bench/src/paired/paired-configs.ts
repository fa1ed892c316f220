import type { HeapOptions } from '@mems/core';

/** The MeMS configurations the paired run knows: the heap options of each (all tlsf, on mmap). */
export const PAIRED_CONFIGS = {
  'tlsf+slabs8k': {
    label: 'MeMS tlsf + slabs to 8 KiB + front cache',
    frontCache: true,
    slabs: { maxBlockSize: 8192 },
  },
  'tlsf+slabs': { label: 'MeMS tlsf + slabs + front cache', frontCache: true, slabs: true },
  'tlsf+cache': { label: 'MeMS tlsf + front cache', frontCache: true, slabs: false },
  tlsf: { label: 'MeMS tlsf', frontCache: false, slabs: false },
} as const satisfies Record<string, { label: string } & Pick<HeapOptions, 'frontCache' | 'slabs'>>;

/** A key of {@link PAIRED_CONFIGS}. */
export type PairedConfig = keyof typeof PAIRED_CONFIGS;
