import { describe, expect, it } from 'vitest';
import { createDefaultProvider as createBrowserDefault } from './default-provider.js';
import {
  createDefaultProvider as createNodeDefault,
  createPreferredProvider,
} from './default-provider.node.js';
import { MemsError } from './errors.js';
import { createMockProvider } from './mock-provider.js';

describe('createDefaultProvider', () => {
  it('browser build: returns a fresh mock provider with default options', () => {
    const a = createBrowserDefault();
    const b = createBrowserDefault();
    expect(a.name).toBe('mock');
    expect(a.pageSize).toBe(4096);
    expect(a).not.toBe(b);
    a.map(4096);
    expect(b.mappedBytes).toBe(0);
  });

  it.runIf(['linux', 'darwin'].includes(process.platform))(
    'node build: returns the mmap provider here',
    () => {
      const provider = createNodeDefault();
      expect(provider.name).toBe('mmap');
      const mapping = provider.map(provider.pageSize);
      provider.unmap(mapping);
      expect(provider.mappedBytes).toBe(0);
    },
  );

  it('node build: falls back to the mock when the mmap provider cannot be created', () => {
    const provider = createPreferredProvider(() => {
      throw new MemsError('ENOMEM', 'createMmapProvider(): koffi cannot be loaded');
    });
    expect(provider.name).toBe('mock');
    expect(provider.map(4096).byteLength).toBe(4096);
  });

  it('node build: returns what the preferred factory returns when it works', () => {
    const preferred = createMockProvider({ name: 'preferred' });
    expect(createPreferredProvider(() => preferred)).toBe(preferred);
  });
});
