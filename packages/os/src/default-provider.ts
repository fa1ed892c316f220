import { createMockProvider } from './mock-provider.js';
import type { PageProvider } from './page-provider.js';

/** The `code` of the warning emitted when the default provider falls back to the mock. */
export const MOCK_FALLBACK_WARNING_CODE = 'MEMS_MOCK_FALLBACK';

/**
 * The global flag that makes the warning once per process, even when both builds of
 * `@mems/os` (ESM and CommonJS) are loaded. Tests delete it to see the warning again.
 */
export const MOCK_FALLBACK_WARNED = Symbol.for('@mems/os.mockFallbackWarned');

/** What this module needs of Node's `process`, reached through `globalThis` (absent in browsers). */
interface WarningProcess {
  emitWarning?: (message: string, options: { type: string; code: string }) => void;
  versions?: { node?: unknown };
}

function nodeProcess(): WarningProcess | undefined {
  const candidate = (globalThis as { process?: unknown }).process;
  return typeof candidate === 'object' && candidate !== null ? (candidate as WarningProcess) : undefined;
}

/**
 * Says, once per process, that the default provider is the mock although real pages were
 * expected: a Node `process.emitWarning` (type `'MemsWarning'`, code
 * {@link MOCK_FALLBACK_WARNING_CODE}) with the reason and how to choose a provider explicitly.
 * Does nothing where there is no `process.emitWarning` (a browser), and after the first call.
 * Internal (not exported from the package).
 * @param reason why real pages are not available, for example the error that loading koffi gave.
 * @returns true when the warning was emitted by this call.
 * @throws nothing.
 */
export function warnMockFallback(reason: string): boolean {
  const flags = globalThis as Record<symbol, unknown>;
  if (flags[MOCK_FALLBACK_WARNED] === true) return false;
  const proc = nodeProcess();
  const emit = proc?.emitWarning;
  if (typeof emit !== 'function') return false;
  flags[MOCK_FALLBACK_WARNED] = true;
  const firstLine = reason.split('\n', 1)[0]!.trim();
  try {
    emit.call(
      proc,
      `@mems/os: createDefaultProvider() returns the mock provider (ArrayBuffers with fake physical addresses, not real pages) because ${firstLine}. ` +
        "Choose a provider explicitly to decide: { provider: createMmapProvider() } from '@mems/os/mmap' for real pages (fails if they are unavailable), " +
        "or { provider: createMockProvider() } from '@mems/os' for the mock without this warning.",
      { type: 'MemsWarning', code: MOCK_FALLBACK_WARNING_CODE },
    );
  } catch {
    // A warning must never break the call that chose the provider.
  }
  return true;
}

/**
 * The page provider to use when the caller names none. This is the browser (and any non-Node)
 * build, which has no native pages: it returns a fresh mock provider with default options
 * (`name` `'mock'`). The Node build of `@mems/os` returns the mmap provider instead where koffi
 * loads. When this build runs inside Node anyway (a bundle made for browsers, or a resolver
 * that skipped the package's `node` export condition), it says so once with
 * `process.emitWarning`, since the caller probably expected real pages.
 * @returns a new provider with nothing mapped.
 * @throws nothing.
 */
export function createDefaultProvider(): PageProvider {
  if (typeof nodeProcess()?.versions?.node === 'string')
    warnMockFallback(
      "this is the browser build of @mems/os running in Node (the package's 'node' export condition was not applied)",
    );
  return createMockProvider();
}
