import { describe, expect, it } from 'vitest';
import { CONTENDERS } from '../contenders.js';
import { PAIRED_CONFIGS, type PairedConfig } from './paired-configs.js';

describe("bench:paired's configurations", () => {
  it("are pnpm bench's tlsf contenders on mmap: the same labels and the same heap options", () => {
    expect(Object.keys(PAIRED_CONFIGS)).toEqual(['tlsf+slabs8k', 'tlsf+slabs', 'tlsf+cache', 'tlsf']);
    for (const name of Object.keys(PAIRED_CONFIGS) as PairedConfig[]) {
      const contender = CONTENDERS.find((c) => c.id === `${name}/mmap`);
      expect(contender?.label).toBe(PAIRED_CONFIGS[name].label);
    }
    expect(PAIRED_CONFIGS['tlsf+slabs8k']).toMatchObject({ frontCache: true, slabs: { maxBlockSize: 8192 } });
    expect(PAIRED_CONFIGS.tlsf).toMatchObject({ frontCache: false, slabs: false });
  });
});
