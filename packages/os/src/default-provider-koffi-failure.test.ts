import { afterEach, describe, expect, it, vi } from 'vitest';
import { MOCK_FALLBACK_WARNED } from './default-provider.js';
import { createDefaultProvider } from './default-provider.node.js';
import { MemsError } from './errors.js';

// koffi fails to load, as it does with no prebuilt binary for the platform: the real loader
// is replaced by one that throws what loadKoffi throws then.
vi.mock('./load-koffi.js', () => ({
  loadKoffi: (call: string) => {
    throw new MemsError(
      'ENOMEM',
      `${call}(): koffi cannot be loaded on ${process.platform}/${process.arch}: Cannot find module 'koffi'`,
    );
  },
}));

describe('createDefaultProvider (node build) when koffi cannot be loaded', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete (globalThis as Record<symbol, unknown>)[MOCK_FALLBACK_WARNED];
  });

  it('returns a working mock and emits one MemsWarning naming koffi and how to choose', () => {
    delete (globalThis as Record<symbol, unknown>)[MOCK_FALLBACK_WARNED];
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const first = createDefaultProvider();
    const second = createDefaultProvider();
    expect(first.name).toBe('mock');
    expect(second.name).toBe('mock');
    first.unmap(first.map(first.pageSize));
    expect(emitWarning).toHaveBeenCalledTimes(1);
    const [message, options] = emitWarning.mock.calls[0]! as [string, { type: string; code: string }];
    expect(message).toMatch(
      /^@mems\/os: createDefaultProvider\(\) returns the mock provider .* because the mmap provider cannot be created: .*koffi cannot be loaded on .*: Cannot find module 'koffi'\. Choose a provider explicitly/,
    );
    expect(options).toEqual({ type: 'MemsWarning', code: 'MEMS_MOCK_FALLBACK' });
  });
});
