import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEntries } from './test-support/bundle-entries.js';

/** Debian's Chromium, which `.ci/run` installs (Playwright's own download cannot work here). */
const CHROMIUM_PATH = '/usr/bin/chromium';
const pageDir = fileURLToPath(new URL('./test-support/browser/', import.meta.url));

// The browser build of @mems/os on a cross-origin-isolated page: the shared-memory provider and a
// SharedMutex shared between the page's main thread (which may not block, so the lock spins) and
// a Web Worker (which sleeps in Atomics.wait).
describe('shared memory in a real browser (Chromium)', () => {
  let bundleDir = '';
  let server: Server;
  let url = '';
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM_PATH}: this test needs it (apt-get update && apt-get install -y chromium; .ci/run does this)`,
      );
    }
    bundleDir = await bundleEntries(['src/index.ts'], 'browser');
    server = createServer((request, response) => {
      const name = (request.url ?? '/').split('?')[0]!.replace(/^\/+/, '') || 'index.html';
      const file =
        name === 'index.html' ? null : [join(pageDir, name), join(bundleDir, name)].find(existsSync);
      const headers = {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      };
      if (name === 'index.html') {
        response.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
        response.end('<!doctype html><script type="module" src="./page.js"></script>');
      } else if (file !== undefined && file !== null && /^[\w.-]+$/.test(name)) {
        response.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' });
        response.end(readFileSync(file));
      } else {
        response.writeHead(404, headers);
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (bundleDir !== '') rmSync(bundleDir, { recursive: true, force: true });
  });

  it('shares pages and a lock between the main thread (spinning) and a worker (waiting)', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.waitForFunction(
      () => (globalThis as { __result?: unknown }).__result !== undefined,
      undefined,
      {
        timeout: 30_000,
      },
    );
    const result = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as Record<
      string,
      unknown
    >;
    expect(errors).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(result.crossOriginIsolated).toBe(true);
    // The main thread may not block: its handle spins, and still waited for the worker's 50 ms.
    expect(result.mainCanWait).toBe(false);
    expect(result.mainSpunMs).toBeGreaterThanOrEqual(20);
    const [opened, locked, holding, released, counted] = result.messages as Array<Record<string, unknown>>;
    expect(opened).toEqual({ opened: true, canWait: true, firstByte: 0x5a });
    expect(locked!.locked).toBe(true);
    expect(locked!.waitedMs).toBeGreaterThanOrEqual(40);
    expect(locked!.extraOffset).toBe(2 * 4096); // the worker mapped after the main thread's pages
    expect(holding).toEqual({ holding: true });
    expect(released).toEqual({ released: true });
    expect(counted).toEqual({ counted: 20000 });
    expect(result.counter).toBe(40000);
    expect(result.bytesAfterWorker).toBe(0x6b);
    expect(result.mappedBytes).toBe(3 * 4096);
    await page.close();
  }, 60_000);
});
