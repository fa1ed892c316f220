import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createMems, isMemsError, type Mems } from '@mems/api';
import { createMockProvider } from '@mems/os';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserFixture, SCREENSHOT_DIR, startBrowser } from './browser.js';

let browser: BrowserFixture;

beforeAll(async () => {
  browser = await startBrowser();
});

afterEach(() => {
  // No page threw or logged an error.
  expect(browser.errors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
});

/** The stats text `@mems/api` prints for a heap, through its own printStats. */
function printed(heap: Mems): string {
  let text = '';
  heap.printStats((chunk) => {
    text += chunk;
  });
  return text;
}

/** What the seed example scenario does, through `@mems/api` on the mock provider: the stats after each step. */
function seedExampleThroughTheApi(): string[] {
  const heap = createMems({ provider: createMockProvider() });
  const texts = [printed(heap)];
  const steps: (() => unknown)[] = [
    ...Array.from({ length: 10 }, () => () => heap.malloc(1000)),
    () => heap.get(1004),
    () => heap.get(1000),
    () => heap.free(4000),
    () => heap.malloc(1000),
  ];
  for (const step of steps) {
    step();
    texts.push(printed(heap));
  }
  heap.finish();
  return texts;
}

/** The error a call makes through `@mems/api`, as the page shows it. */
function apiError(call: (heap: Mems) => unknown, before: (heap: Mems) => unknown = () => {}): string {
  const heap = createMems({ provider: createMockProvider() });
  before(heap);
  try {
    call(heap);
  } catch (error) {
    if (!isMemsError(error)) throw error;
    return `${error.code}: ${error.message}`;
  } finally {
    heap.finish();
  }
  throw new Error('the call did not fail');
}

const stats = (page: Page) => page.getByTestId('stats-text').textContent();
const stepText = (page: Page) => page.getByTestId('step').textContent();

async function runCommand(page: Page, line: string): Promise<void> {
  const box = page.getByTestId('command');
  await box.fill(line);
  await box.press('Enter');
}

describe('the visualiser in Chromium', () => {
  it('opens on the seed example, whose stats text at every step is what @mems/api prints for the same calls; rewinding and replaying give the same texts', async () => {
    const expected = seedExampleThroughTheApi();
    const page = await browser.open();
    expect(await page.getByTestId('scenario').inputValue()).toBe('seed');
    expect(await stepText(page)).toBe('14 / 14');
    expect(await stats(page)).toBe(expected[14]);
    // The same count of steps everywhere: 14 commands, step 0 the fresh heap.
    expect(await page.getByTestId('validate').textContent()).toBe(
      '✓ validate() passed after this step; it ran on the fresh heap and after every one of the 14 steps, all passed',
    );
    await browser.screenshot(page, 'main-view');

    // Rewind with the button to step 0, checking each step on the way.
    for (let k = 14; k > 0; k--) {
      expect(await stats(page)).toBe(expected[k]);
      await page.getByTestId('prev').click();
    }
    expect(await stepText(page)).toBe('0 / 14');
    expect(await stats(page)).toBe(expected[0]);
    expect(await page.getByTestId('prev').isDisabled()).toBe(true);

    // Replay with the button and with the → key.
    for (let k = 1; k <= 14; k++) {
      if (k % 2 === 0) await page.getByTestId('next').click();
      else {
        await page.locator('body').focus();
        await page.keyboard.press('ArrowRight');
      }
      expect(await stepText(page)).toBe(`${k} / 14`);
      expect(await stats(page)).toBe(expected[k]);
    }
    // ← goes back, Home to the start, the slider anywhere.
    await page.keyboard.press('ArrowLeft');
    expect(await stats(page)).toBe(expected[13]);
    await page.keyboard.press('Home');
    expect(await stepText(page)).toBe('0 / 14');
    await page.getByTestId('slider').fill('13');
    expect(await stepText(page)).toBe('13 / 14');
    expect(await stats(page)).toBe(expected[13]);
    expect(await page.getByTestId('operation').textContent()).toBe('free 4000');
    expect(await page.getByTestId('changes').textContent()).toContain(
      'freed P[4000:4999]: merged with the hole after → H[4000:5095]',
    );
    expect(await page.getByTestId('validate').textContent()).toContain('validate() passed');
    await page.close();
  });

  it('plays the timeline to its end', async () => {
    const page = await browser.open('s=exact-fit&step=4');
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=step]')?.textContent === '6 / 6',
      null,
      {
        timeout: 10000,
      },
    );
    expect(await page.getByTestId('play').textContent()).toBe('play');
    await page.close();
  });

  it('restores the scenario, the options and the step from the URL', async () => {
    const page = await browser.open();
    await page.getByTestId('scenario').selectOption('merge-cases');
    await page.getByTestId('policy').selectOption('best-fit');
    await page.getByTestId('page-size').fill('2048');
    await page.getByTestId('page-size').press('Enter');
    await page.getByTestId('page-size').blur();
    await page.getByTestId('slider').fill('10');
    const url = page.url();
    const text = await stats(page);
    expect(url).toContain('policy=best-fit');
    expect(url).toContain('page=2048');
    expect(url).toContain('step=10');
    const step = await stepText(page);
    expect(step).toBe('10 / 14');
    await page.close();

    const restored = await browser.context.newPage();
    await restored.goto(url);
    await restored.getByTestId('stats-text').waitFor();
    expect(await stepText(restored)).toBe(step);
    expect(await stats(restored)).toBe(text);
    expect(await restored.getByTestId('policy').inputValue()).toBe('best-fit');
    expect(await restored.getByTestId('page-size').inputValue()).toBe('2048');
    expect(await restored.getByTestId('scenario').inputValue()).toBe('merge-cases');
    await restored.close();
  });

  it('restores typed commands from the URL', async () => {
    const page = await browser.open();
    await page.getByTestId('scenario').selectOption('empty');
    await runCommand(page, 'malloc 5000');
    await runCommand(page, 'calloc 4 25');
    await runCommand(page, 'write 1000 hi');
    const url = page.url();
    const text = await stats(page);
    await page.close();
    const restored = await browser.context.newPage();
    await restored.goto(url);
    await restored.getByTestId('stats-text').waitFor();
    expect(await stepText(restored)).toBe('3 / 3');
    expect(await stats(restored)).toBe(text);
    await restored.close();
  });

  it('shows a bad command’s MemsError message and changes nothing', async () => {
    const page = await browser.open();
    await page.getByTestId('policy').selectOption('tlsf');
    await page.getByTestId('scenario').selectOption({ label: 'Empty heap' });
    expect(await stepText(page)).toBe('0 / 0');
    expect(await page.getByTestId('validate').textContent()).toBe(
      '✓ validate() passed on the fresh heap; no steps yet',
    );
    // A fresh heap with the current options.
    expect(await page.getByTestId('policy').inputValue()).toBe('tlsf');
    expect(page.url()).toContain('policy=tlsf');
    await runCommand(page, 'malloc 1000');
    expect(await stepText(page)).toBe('1 / 1');
    expect(await page.getByTestId('validate').textContent()).toContain('after the one step, all passed');
    expect(await page.getByTestId('error').textContent()).toBe('');
    const before = await stats(page);

    await runCommand(page, 'free 1234');
    expect(await page.getByTestId('error').textContent()).toBe(
      apiError(
        (heap) => heap.free(1234),
        (heap) => heap.malloc(1000),
      ),
    );
    expect(await stepText(page)).toBe('1 / 1');
    expect(await stats(page)).toBe(before);

    await runCommand(page, 'malloc 0');
    expect(await page.getByTestId('error').textContent()).toBe(apiError((heap) => heap.malloc(0)));
    expect(await stepText(page)).toBe('1 / 1');
    expect(await stats(page)).toBe(before);
    // The failed line stays in the box to be corrected.
    expect(await page.getByTestId('command').inputValue()).toBe('malloc 0');
    await browser.screenshot(page, 'bad-command', false);

    await runCommand(page, 'frobnicate 3');
    expect(await page.getByTestId('error').textContent()).toContain('unknown command "frobnicate"');
    expect(await stepText(page)).toBe('1 / 1');

    await runCommand(page, 'malloc 24');
    expect(await page.getByTestId('error').textContent()).toBe('');
    expect(await stepText(page)).toBe('2 / 2');
    await page.close();
  });

  it('selects a segment with the keyboard and shows its physical address (mems_get) and its place in the policy', async () => {
    const api = createMems({ provider: createMockProvider() });
    for (let i = 0; i < 10; i++) api.malloc(1000);
    const physical = api.get(1000);
    api.finish();
    const page = await browser.open();
    const first = page.getByTestId('seed-view').getByTestId('segment').first();
    await first.focus();
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('physical').textContent()).toBe(`mems_get(1000) = ${physical}`);
    // The same segment is highlighted in the address bar.
    expect(await page.locator('[data-testid=address-bar] [data-start="1000"].selected').count()).toBe(1);
    await page.getByTestId('block-free').click();
    expect(await stepText(page)).toBe('15 / 15');
    expect(await page.getByTestId('changes').textContent()).toContain('freed P[1000:1999]');
    const hole = page.getByTestId('seed-view').locator('[data-start="1000"]');
    await hole.click();
    expect(await page.getByTestId('index-position').textContent()).toBe(
      'hole 1 of 4 in the first-fit tree, ordered by address',
    );
    // A hole a free made says so; the tail hole of a fresh node was never allocated, and the
    // page does not guess "already freed?" for it (MeMS's EFAULT message for a caller does).
    expect(await page.getByTestId('hole-history').textContent()).toMatch(/^freed: /);
    await page.getByTestId('seed-view').locator('[data-start="11192"]').click();
    expect(await page.getByTestId('hole-history').textContent()).toMatch(/^never allocated: /);
    expect(await page.getByTestId('details').textContent()).not.toContain('already freed');
    expect(await page.getByTestId('physical').textContent()).toContain(
      'mems_get refuses a hole: EFAULT: get(11192): 11192 is inside a free hole [11192:13287]',
    );
    await browser.screenshot(page, 'never-allocated-hole', false);
    await hole.click();
    // Hovering a segment in one view highlights it in the other.
    await page.getByTestId('seed-view').locator('[data-start="2000"]').hover();
    expect(await page.locator('[data-testid=address-bar] [data-start="2000"].hovered').count()).toBe(1);
    await hole.hover();
    expect(await page.locator('[data-testid=address-bar] [data-start="2000"].hovered').count()).toBe(0);
    expect(await page.locator('[data-testid=address-bar] [data-start="1000"].hovered').count()).toBe(1);
    await browser.screenshot(page, 'selected-hole');
    await page.close();
  });

  it('loads a replay trace with the file picker and a CS:APP .rep trace by drag and drop', async () => {
    const tracePath = fileURLToPath(new URL('../../demo/traces/sample.trace', import.meta.url));
    const traceText = readFileSync(tracePath, 'utf8');
    const operations = traceText.split('\n').filter((l) => /^\s*[afr]\s/.test(l)).length;
    const page = await browser.open();
    await page.getByTestId('trace-file').setInputFiles(tracePath);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=step]')?.textContent === `${n} / ${n}`,
      operations,
    );
    expect(await page.getByTestId('scenario').inputValue()).toBe('trace');
    expect(await page.getByTestId('error').textContent()).toBe('');

    // The same trace through @mems/api.
    const heap = createMems({ provider: createMockProvider() });
    const blocks = new Map<string, number>();
    for (const line of traceText.split('\n')) {
      const [op, id, size] = line.replace(/#.*/, '').trim().split(/\s+/);
      if (op === 'a') blocks.set(id!, heap.malloc(Number(size)));
      else if (op === 'f') heap.free(blocks.get(id!)!);
      else if (op === 'r') blocks.set(id!, heap.realloc(blocks.get(id!)!, Number(size)));
    }
    expect(await stats(page)).toBe(printed(heap));
    heap.finish();
    await browser.screenshot(page, 'trace-loaded');

    const rep = ['20000', '2', '5', '1', 'a 0 2040', 'a 1 2040', 'f 0', 'r 1 4000', 'f 1', ''].join('\n');
    const data = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'short.rep', { type: 'text/plain' }));
      return transfer;
    }, rep);
    await page.dispatchEvent('body', 'drop', { dataTransfer: data });
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '5 / 5');
    expect(await page.getByTestId('scenario-description').textContent()).toContain('short.rep');
    expect(await page.getByTestId('operation').textContent()).toBe('f b1');

    // A malformed file changes nothing and says which line is wrong.
    await page.getByTestId('trace-file').setInputFiles({
      name: 'bad.trace',
      mimeType: 'text/plain',
      buffer: Buffer.from('a x 10\nq y\n'),
    });
    await page.waitForFunction(() => document.querySelector('[data-testid=error]')?.textContent !== '');
    expect(await page.getByTestId('error').textContent()).toContain(
      'bad.trace, line 2: unknown operation "q"',
    );
    expect(await stepText(page)).toBe('5 / 5');
    await page.close();
  });

  it('loads a gzip-compressed trace with the file picker (unpacked in the browser)', async () => {
    const tracePath = fileURLToPath(new URL('../../demo/traces/sample.trace', import.meta.url));
    const traceText = readFileSync(tracePath, 'utf8');
    const operations = traceText.split('\n').filter((l) => /^\s*[afr]\s/.test(l)).length;
    const page = await browser.open();
    await page.getByTestId('trace-file').setInputFiles({
      name: 'sample.trace.gz',
      mimeType: 'application/gzip',
      buffer: gzipSync(traceText),
    });
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=step]')?.textContent === `${n} / ${n}`,
      operations,
    );
    expect(await page.getByTestId('error').textContent()).toBe('');
    expect(await page.getByTestId('scenario-description').textContent()).toContain('sample.trace.gz');
    await page.close();
  });

  it('loads a long .rep trace quickly, and validates every step in the background', async () => {
    const ops: string[] = [];
    const live: number[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let id = 0; ops.length < 6000; id++) {
      if (live.length > 0 && random() < 0.45)
        ops.push(`f ${live.splice(Math.floor(random() * live.length), 1)[0]}`);
      else {
        ops.push(`a ${id} ${1 + Math.floor(random() * 3000)}`);
        live.push(id);
      }
    }
    const page = await browser.open();
    const started = Date.now();
    await page.getByTestId('trace-file').setInputFiles({
      name: 'long.rep',
      mimeType: 'text/plain',
      buffer: Buffer.from(['100000', String(ops.length), String(ops.length), '1', ...ops].join('\n')),
    });
    await page.waitForFunction(
      () => document.querySelector('[data-testid=step]')?.textContent === '6000 / 6000',
    );
    const loaded = Date.now() - started;
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid=validate]')
          ?.textContent?.includes('after every one of the 6000 steps'),
      null,
      { timeout: 60000 },
    );
    expect(await page.getByTestId('validate').textContent()).toBe(
      '✓ validate() passed after this step; it ran on the fresh heap and after every one of the 6000 steps, all passed',
    );
    expect(loaded).toBeLessThan(20000);
    await page.keyboard.press('Home');
    expect(await stepText(page)).toBe('0 / 6000');
    await page.close();
  });

  it('compares the four policies on one program, with one chart', async () => {
    const page = await browser.open();
    await page.getByTestId('scenario').selectOption('first-vs-best');
    expect(page.url()).toContain('compare=1');
    const compare = page.getByTestId('compare');
    expect(await compare.getAttribute('open')).not.toBeNull();
    const panels = compare.getByTestId('compare-policy');
    expect(await panels.count()).toBe(4);
    expect(await panels.evaluateAll((els) => els.map((e) => e.getAttribute('data-policy')))).toEqual([
      'first-fit',
      'next-fit',
      'best-fit',
      'tlsf',
    ]);
    expect(await compare.locator('[data-policy="first-fit"] .figures').textContent()).toContain('2 pages');
    expect(await compare.locator('[data-policy="best-fit"] .figures').textContent()).toContain('1 page ·');
    // The four bars share one scale: best fit maps one page where the others map two, so its bar
    // ends half way across, the rest not mapped.
    for (const policy of ['first-fit', 'next-fit', 'best-fit', 'tlsf'])
      expect(await compare.locator(`[data-policy="${policy}"] .bar-axis`).textContent()).toBe('10009191');
    const bestFitGap = compare.locator('[data-policy="best-fit"] .bar-piece.gap');
    expect(await bestFitGap.count()).toBe(1);
    expect(await bestFitGap.getAttribute('style')).toBe('left:50%;width:50%');
    expect(await compare.getByTestId('compare-chart').locator('path').count()).toBe(8);
    // On a phone the chart's legend wraps between its items, never between a swatch and its label.
    await page.setViewportSize({ width: 390, height: 844 });
    const legendItems = await compare.evaluate((section) =>
      [...section.querySelectorAll('.compare-body > .legend:not([data-testid=bar-legend]) > *')].map(
        (item) => ({
          text: item.textContent?.trim(),
          lines: Math.round(
            item.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(item).lineHeight),
          ),
        }),
      ),
    );
    expect(legendItems.map((i) => i.text)).toEqual([
      'first-fit',
      'next-fit',
      'best-fit',
      'tlsf',
      'utilisation (solid)',
      'fragmentation (dashed)',
    ]);
    for (const item of legendItems) expect(item.lines).toBe(1);
    // So does the address bars' legend.
    const barLegend = await compare.evaluate((section) =>
      [...section.querySelectorAll('[data-testid=bar-legend] > .legend-item')].map((item) =>
        Math.round(
          item.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(item).lineHeight),
        ),
      ),
    );
    expect(barLegend).toHaveLength(4);
    for (const lines of barLegend) expect(lines).toBe(1);
    // Each policy's figures wrap between figures, never inside one ("2 pages" stays together).
    const figures = await compare.evaluate((section) =>
      [...section.querySelectorAll('.figures .figure')].map((figure) => ({
        text: figure.textContent,
        lines: Math.round(
          figure.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(figure).lineHeight),
        ),
      })),
    );
    expect(figures).toHaveLength(4 * 5);
    expect(figures.map((f) => f.text)).toContain('2 pages');
    for (const figure of figures) expect(figure.lines).toBe(1);
    await browser.screenshot(page, 'compare-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await compare.scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'compare');

    // Every policy's lines run across the whole comparison, at this width and after a resize
    // (they used to end about two thirds across: the chart was capped at 52rem).
    const lineExtents = () =>
      compare.evaluate((section) => {
        const body = section.querySelector('.compare-body')!.getBoundingClientRect();
        const paths = [...section.querySelectorAll('[data-testid=compare-chart] path')].map((p) =>
          p.getBoundingClientRect(),
        );
        return {
          body: { left: body.left, right: body.right },
          left: Math.max(...paths.map((r) => r.left)),
          right: Math.min(...paths.map((r) => r.right)),
        };
      });
    for (const width of [1280, 900, 1600]) {
      await page.setViewportSize({ width, height: 900 });
      // Wait until the chart has been redrawn for the new width. (Accepting a chart narrower than
      // its panel here let a loaded machine measure the 900-wide chart in a 1600-wide panel.
      // Without the fix the chart never fills its panel, and this wait times out.)
      await page.waitForFunction(() => {
        const body = document.querySelector('.compare-body');
        const chart = document.querySelector('[data-testid=compare-chart]');
        return (
          body !== null &&
          chart !== null &&
          Math.abs(chart.getBoundingClientRect().width - body.clientWidth) < 1
        );
      });
      const { body, left, right } = await lineExtents();
      expect(left - body.left).toBeLessThan(60);
      expect(body.right - right).toBeLessThan(20);
      expect(right - left).toBeGreaterThan(0.9 * (body.right - body.left));
    }
    await page.close();
  });

  it('keeps every element of the stats text’s chains on one line: a P[a:b] or an “<->” is never split', async () => {
    const page = await browser.open('s=merge-cases');
    /** The chain elements (and arrows) of the stats text that are split across lines. */
    const splitUnits = () =>
      page.getByTestId('stats-text').evaluate((pre) => {
        const text = pre.textContent ?? '';
        // Text offsets to (text node, offset), whatever elements the text is in.
        const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
        const nodes: { node: Text; start: number }[] = [];
        let offset = 0;
        for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
          nodes.push({ node: n as Text, start: offset });
          offset += (n as Text).data.length;
        }
        const at = (i: number): [Text, number] => {
          let hit = nodes[0]!;
          for (const n of nodes) if (n.start <= i) hit = n;
          return [hit.node, i - hit.start];
        };
        const lineCount = (from: number, to: number) => {
          const range = document.createRange();
          range.setStart(...at(from));
          range.setEnd(...at(to));
          return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)))
            .size;
        };
        const bad: string[] = [];
        let units = 0;
        for (const m of text.matchAll(/<->|->|(?:MAIN|P|H)\[\d+:\d+\]/g)) {
          units++;
          if (lineCount(m.index, m.index + m[0].length) !== 1) bad.push(`${m[0]} at ${m.index}`);
        }
        return { bad, units, overflow: pre.scrollWidth - pre.clientWidth };
      });
    // Every width from a small phone to a wide screen (the break used to fall inside "<->" at
    // some of them: a browser may break a line after a hyphen).
    const failures: string[] = [];
    let units = 0;
    for (const step of [8, 11]) {
      await page.getByTestId('slider').fill(String(step));
      for (let width = 320; width <= 1400; width += 6) {
        await page.setViewportSize({ width, height: 900 });
        const { bad, units: n, overflow } = await splitUnits();
        units += n;
        if (bad.length > 0) failures.push(`step ${step}, ${width} px: ${bad.join(', ')}`);
        // No horizontal scrolling either: the text wraps between elements.
        if (overflow > 0) failures.push(`step ${step}, ${width} px: scrolls by ${overflow} px`);
      }
    }
    expect(units).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('stats-text').scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'stats-phone', false);
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.getByTestId('stats-text').screenshot({ path: `${SCREENSHOT_DIR}stats-1000.png` });
    await page.close();
  });

  it('keeps a 3,000-operation trace’s page short: the long boxes scroll inside themselves, the comparison stays near the top', async () => {
    const ops: string[] = [];
    const live: number[] = [];
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let id = 0; ops.length < 3000; id++) {
      if (live.length > 0 && random() < 0.45)
        ops.push(`f ${live.splice(Math.floor(random() * live.length), 1)[0]}`);
      else {
        ops.push(`a ${id} ${1 + Math.floor(random() * 3000)}`);
        live.push(id);
      }
    }
    const page = await browser.open();
    await page.getByTestId('trace-file').setInputFiles({
      name: 'long3000.rep',
      mimeType: 'text/plain',
      buffer: Buffer.from(['100000', String(ops.length), String(ops.length), '1', ...ops].join('\n')),
    });
    await page.waitForFunction(
      () => document.querySelector('[data-testid=step]')?.textContent === '3000 / 3000',
    );
    const boxes = await page.evaluate(() => {
      const box = (id: string) => {
        const e = document.querySelector<HTMLElement>(`[data-testid=${id}]`)!;
        return { height: e.getBoundingClientRect().height, scroll: e.scrollHeight, client: e.clientHeight };
      };
      return {
        page: document.documentElement.scrollHeight,
        compareTop:
          document.querySelector('[data-testid=compare]')!.getBoundingClientRect().top + window.scrollY,
        stats: box('stats-text'),
        seed: box('seed-view'),
        steps: box('step-list'),
        viewport: window.innerHeight,
      };
    });
    // The comparison is within two screens of the top (it was 7,900 px down and more).
    expect(boxes.compareTop).toBeLessThan(2 * boxes.viewport);
    expect(boxes.page).toBeLessThan(2 * boxes.viewport + 300);
    // Each long part scrolls in its own box, no taller than the window.
    for (const part of [boxes.stats, boxes.seed, boxes.steps]) {
      expect(part.height).toBeLessThanOrEqual(boxes.viewport);
      expect(part.scroll).toBeGreaterThan(part.client);
    }
    await browser.screenshot(page, 'long-trace');
    // The short seed example does not scroll inside its boxes.
    await page.getByTestId('scenario').selectOption('seed');
    const seedBoxes = await page.evaluate(() =>
      ['stats-text', 'seed-view'].map((id) => {
        const e = document.querySelector<HTMLElement>(`[data-testid=${id}]`)!;
        return e.scrollHeight - e.clientHeight;
      }),
    );
    for (const overflow of seedBoxes) expect(overflow).toBeLessThanOrEqual(1);
    await page.close();
  });

  it('draws the comparison’s node boundaries as thin ticks that never merge into blocks, and explains the bars in a legend', async () => {
    // 150 nodes: each 5000-byte block maps a node of its own, every other one is freed.
    const lines = ['20000', '150', '225', '1'];
    for (let i = 0; i < 150; i++) lines.push(`a ${i} 5000`);
    for (let i = 0; i < 150; i += 2) lines.push(`f ${i}`);
    const page = await browser.open('compare=1');
    await page.getByTestId('trace-file').setInputFiles({
      name: 'many-nodes.rep',
      mimeType: 'text/plain',
      buffer: Buffer.from(lines.join('\n')),
    });
    await page.waitForFunction(
      () => document.querySelector('[data-testid=step]')?.textContent === '225 / 225',
    );
    const compare = page.getByTestId('compare');
    await compare.locator('[data-policy="first-fit"] .node-edge').first().waitFor();
    const bars = await compare.evaluate((section) =>
      [...section.querySelectorAll('[data-testid=compare-policy] .address-bar')].map((bar) => {
        const edges = [...bar.querySelectorAll('.node-edge')].map((e) => e.getBoundingClientRect());
        const lefts = edges.map((r) => r.left).sort((a, b) => a - b);
        const gaps = lefts.slice(1).map((l, i) => l - lefts[i]!);
        return {
          width: bar.getBoundingClientRect().width,
          edges: edges.length,
          widest: Math.max(...edges.map((r) => r.width)),
          closest: Math.min(...gaps),
          darkWidth: edges.reduce((sum, r) => sum + r.width, 0),
        };
      }),
    );
    expect(bars).toHaveLength(4);
    for (const bar of bars) {
      expect(bar.edges).toBeGreaterThan(10);
      expect(bar.widest).toBeLessThanOrEqual(1.01);
      expect(bar.closest).toBeGreaterThanOrEqual(3);
      // The marks cover at most a third of the bar: it still shows blocks and holes.
      expect(bar.darkWidth).toBeLessThan(bar.width / 3);
    }
    // A legend says what the bars' colours and marks mean.
    const legend = compare.getByTestId('bar-legend');
    const text = await legend.textContent();
    for (const item of ['block', 'hole', 'not mapped', 'node boundary']) expect(text).toContain(item);
    await compare.scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'compare-many-nodes', false);
    await compare
      .locator('.policy-panels')
      .screenshot({ path: `${SCREENSHOT_DIR}compare-many-nodes-bars.png` });
    // The page's own address bar too, and again after the window narrows to a phone's.
    const mainBarGaps = () =>
      page.getByTestId('address-bar').evaluate((wrap) => {
        const lefts = [...wrap.querySelectorAll('.node-edge')].map((e) => e.getBoundingClientRect().left);
        lefts.sort((a, b) => a - b);
        return { edges: lefts.length, closest: Math.min(...lefts.slice(1).map((l, i) => l - lefts[i]!)) };
      });
    expect((await mainBarGaps()).closest).toBeGreaterThanOrEqual(3);
    const wide = (await mainBarGaps()).edges;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(
      (before) => document.querySelectorAll('[data-testid=address-bar] .node-edge').length < before,
      wide,
    );
    expect((await mainBarGaps()).closest).toBeGreaterThanOrEqual(3);
    await page.close();
  });

  it('fits a phone screen', async () => {
    const page = await browser.open('', { width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await browser.screenshot(page, 'phone');
    await page.close();
  });

  it('keeps each sub-chain’s “→ NULL” on the line of its last segment, on a laptop and on a phone', async () => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const page = await browser.open('', viewport);
      const rows = await page.getByTestId('seed-view').evaluate((view) =>
        [...view.querySelectorAll('.node-row')].map((row) => {
          const segments = row.querySelectorAll('[data-testid=segment]');
          const last = segments[segments.length - 1]!.getBoundingClientRect();
          const end = row.querySelector('.null')!.getBoundingClientRect();
          return { lastTop: last.top, lastBottom: last.bottom, nullMiddle: (end.top + end.bottom) / 2 };
        }),
      );
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row.nullMiddle).toBeGreaterThan(row.lastTop);
        expect(row.nullMiddle).toBeLessThan(row.lastBottom);
      }
      await page.close();
    }
  });

  it('keeps disabled buttons readable: no fading, text at 4.5:1 contrast or more', async () => {
    const page = await browser.open();
    const free = page.getByTestId('block-free');
    expect(await free.isDisabled()).toBe(true);
    const look = await free.evaluate((button) => {
      let opacity = 1;
      for (let e: Element | null = button; e !== null; e = e.parentElement)
        opacity *= Number(getComputedStyle(e).opacity);
      const style = getComputedStyle(button);
      return { opacity, color: style.color, background: style.backgroundColor };
    });
    expect(look.opacity).toBe(1);
    const luminance = (css: string) => {
      const [r, g, b] = css
        .match(/\d+(\.\d+)?/g)!
        .slice(0, 3)
        .map((c) => {
          const v = Number(c) / 255;
          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const [lighter, darker] = [luminance(look.background), luminance(look.color)].sort((a, b) => b - a);
    expect((lighter! + 0.05) / (darker! + 0.05)).toBeGreaterThanOrEqual(4.5);
    await page.close();
  });
});
