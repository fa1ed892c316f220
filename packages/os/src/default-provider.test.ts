import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createDefaultProvider as createBrowserDefault,
  MOCK_FALLBACK_WARNED,
  MOCK_FALLBACK_WARNING_CODE,
  warnMockFallback,
} from './default-provider.js';
import {
  createDefaultProvider as createNodeDefault,
  createPreferredProvider,
} from './default-provider.node.js';
import { MemsError } from './errors.js';
import { createMockProvider } from './mock-provider.js';

const flags = globalThis as Record<symbol, unknown>;

describe('createDefaultProvider', () => {
  let emitWarning: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    delete flags[MOCK_FALLBACK_WARNED];
    emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
  });

  afterEach(() => {
    emitWarning.mockRestore();
    delete flags[MOCK_FALLBACK_WARNED];
  });

  it('browser build: returns a fresh mock provider with default options', () => {
    const a = createBrowserDefault();
    const b = createBrowserDefault();
    expect(a.name).toBe('mock');
    expect(a.pageSize).toBe(4096);
    expect(a).not.toBe(b);
    a.map(4096);
    expect(b.mappedBytes).toBe(0);
  });

  it('browser build run in Node: warns once that the node build was not used', () => {
    createBrowserDefault();
    createBrowserDefault();
    expect(emitWarning).toHaveBeenCalledTimes(1);
    expect(emitWarning.mock.calls[0]![0]).toMatch(/browser build of @mems\/os running in Node/);
  });

  it.runIf(['linux', 'darwin'].includes(process.platform))(
    'node build: returns the mmap provider here, with no warning',
    () => {
      const provider = createNodeDefault();
      expect(provider.name).toBe('mmap');
      const mapping = provider.map(provider.pageSize);
      provider.unmap(mapping);
      expect(provider.mappedBytes).toBe(0);
      expect(emitWarning).not.toHaveBeenCalled();
    },
  );

  it('node build: falls back to the mock when the mmap provider cannot be created, and says why once', () => {
    const failing = () => {
      throw new MemsError('ENOMEM', 'createMmapProvider(): koffi cannot be loaded on linux/x64: boom');
    };
    const provider = createPreferredProvider(failing);
    expect(provider.name).toBe('mock');
    expect(provider.map(4096).byteLength).toBe(4096);
    expect(createPreferredProvider(failing).name).toBe('mock');
    expect(emitWarning).toHaveBeenCalledTimes(1);
    const [message, options] = emitWarning.mock.calls[0]! as [string, { type: string; code: string }];
    expect(message).toContain('koffi cannot be loaded on linux/x64: boom');
    expect(message).toContain('mock provider');
    expect(message).toContain('createMmapProvider()');
    expect(message).toContain('createMockProvider()');
    expect(options).toEqual({ type: 'MemsWarning', code: MOCK_FALLBACK_WARNING_CODE });
  });

  it('node build: returns what the preferred factory returns when it works, with no warning', () => {
    const preferred = createMockProvider({ name: 'preferred' });
    expect(createPreferredProvider(() => preferred)).toBe(preferred);
    expect(emitWarning).not.toHaveBeenCalled();
  });

  it('warnMockFallback: once per process, only the first line of the reason, never throws', () => {
    emitWarning.mockImplementation(() => {
      throw new Error('a throwing warning listener');
    });
    expect(warnMockFallback('first line\n    at some stack frame')).toBe(true);
    expect(warnMockFallback('again')).toBe(false);
    expect(emitWarning).toHaveBeenCalledTimes(1);
    expect(emitWarning.mock.calls[0]![0]).toContain('because first line.');
    expect(emitWarning.mock.calls[0]![0]).not.toContain('stack frame');
  });

  it('warnMockFallback: does nothing where there is no process (a browser)', () => {
    vi.stubGlobal('process', undefined);
    try {
      expect(warnMockFallback('no process here')).toBe(false);
      expect(createBrowserDefault().name).toBe('mock');
    } finally {
      vi.unstubAllGlobals();
    }
    expect(flags[MOCK_FALLBACK_WARNED]).toBeUndefined();
    expect(emitWarning).not.toHaveBeenCalled();
  });
});
