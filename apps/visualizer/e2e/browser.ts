import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { startStaticServer } from '../scripts/static-server.mjs';

/** Debian's Chromium, which `.ci/run` installs (Playwright's own download cannot work here). */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The Chromium the browser tests drive: the `CHROMIUM_PATH` environment variable when it is
 * set and not empty, else {@link DEFAULT_CHROMIUM_PATH}.
 * @param env the environment to read (default `process.env`).
 * @returns the executable's path.
 */
export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  const given = env.CHROMIUM_PATH;
  return given !== undefined && given !== '' ? given : DEFAULT_CHROMIUM_PATH;
}

/** The built app. */
export const DIST_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

/** Where the test run saves screenshots for a person to look at (gitignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** A headless Chromium with the built app served on a free port. */
export interface BrowserFixture {
  /** The app's URL. */
  readonly url: string;
  /** The browser context (one fresh profile). */
  readonly context: BrowserContext;
  /** Uncaught exceptions and console errors of every page so far (tests expect none). */
  readonly errors: string[];
  /** Opens the app (with an optional hash) in a new page, and waits for its first render. */
  open(hash?: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** Saves a screenshot of a page under {@link SCREENSHOT_DIR}. */
  screenshot(page: Page, name: string, fullPage?: boolean): Promise<string>;
  /** Closes the browser and the server and removes the profile. */
  close(): Promise<void>;
}

/**
 * Starts the fixture. Fails loudly, never skips, when Chromium or the build is missing.
 * @returns the fixture.
 * @throws Error naming what is missing and how to get it.
 */
export async function startBrowser(): Promise<BrowserFixture> {
  const executable = chromiumPath();
  if (!existsSync(executable))
    throw new Error(
      `Chromium is missing at ${executable}: the visualiser's browser tests need it (apt-get update && apt-get install -y chromium; .ci/run does this; or set CHROMIUM_PATH to another Chromium)`,
    );
  if (!existsSync(join(DIST_DIR, 'index.html')))
    throw new Error(`${DIST_DIR}index.html is missing: build the visualiser first (pnpm build)`);
  const server = await startStaticServer({ root: DIST_DIR, port: 0 });
  const profile = mkdtempSync(join(tmpdir(), 'mems-visualizer-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: executable,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
  } catch (error) {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const errors: string[] = [];
  context.on('page', (page) => {
    page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${page.url()}: console: ${message.text()}`);
    });
  });
  return {
    url: server.url,
    context,
    errors,
    async open(hash = '', viewport = { width: 1280, height: 900 }) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      await page.goto(`${server.url}${hash === '' ? '' : `#${hash}`}`);
      await page.getByTestId('stats-text').waitFor();
      return page;
    },
    async screenshot(page, name, fullPage = true) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage });
      return path;
    },
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
