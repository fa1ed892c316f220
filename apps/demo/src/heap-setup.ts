import type { MemsOptions, PolicyName } from '@mems/api';
import { createDefaultProvider, createMockProvider, type PageProvider } from '@mems/os';
import { createMmapProvider } from '@mems/os/mmap';

/** The global options of `mems-demo`, as commander parses them. */
export interface GlobalOptions {
  /** `--provider`: which page provider; default the platform's (`createDefaultProvider()`). */
  provider?: 'mmap' | 'mock';
  /** `--policy`: the placement policy. */
  policy?: PolicyName;
  /** `--page-size`: the MeMS page size in bytes. */
  pageSize?: number;
  /** `--start`: the first virtual address. */
  start?: number;
  /** `--alignment`: the block alignment in bytes. */
  alignment?: number;
}

/** What a command needs to open a heap: the options for `mems_init`/`createMems` and their provider. */
export interface HeapSetup {
  /** The options, with `provider` set. */
  readonly options: MemsOptions;
  /** The provider (also `options.provider`), for its name and live accounting. */
  readonly provider: PageProvider;
}

/**
 * Turns the global options into heap options. Only the provider is created here; every value is
 * checked by `mems_init`/`createMems`, whose `EINVAL` messages name the option.
 * @param globals the parsed global options.
 * @returns the options and the provider.
 * @throws MemsError `ENOMEM` when `--provider mmap` is asked for and koffi cannot be loaded.
 */
export function heapSetupFrom(globals: GlobalOptions): HeapSetup {
  const provider =
    globals.provider === 'mmap'
      ? createMmapProvider()
      : globals.provider === 'mock'
        ? createMockProvider()
        : createDefaultProvider();
  const options: MemsOptions = { provider };
  if (globals.policy !== undefined) options.policy = globals.policy;
  if (globals.pageSize !== undefined) options.pageSize = globals.pageSize;
  if (globals.start !== undefined) options.startAddress = globals.start;
  if (globals.alignment !== undefined) options.alignment = globals.alignment;
  return { options, provider };
}

/**
 * Whether a provider's physical addresses are real addresses of this process, so that raw
 * reads and writes through them are meaningful (and safe while the block is live).
 * @param provider the heap's provider.
 * @returns true for the mmap provider.
 */
export function hasRealAddresses(provider: PageProvider): boolean {
  return provider.name === 'mmap';
}

/**
 * The line `mems-demo` prints on stderr about the provider when it is not the mmap one, so that
 * fake physical addresses are never shown without a word (whether the mock was asked for or the
 * default fell back to it because koffi cannot load).
 * @param provider the heap's provider.
 * @returns the notice, or `undefined` for the mmap provider.
 */
export function providerNotice(provider: PageProvider): string | undefined {
  if (hasRealAddresses(provider)) return undefined;
  return `using the ${provider.name} page provider: physical addresses are not real memory addresses (real pages: --provider mmap)`;
}
