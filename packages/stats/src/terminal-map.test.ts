import { describe, expect, it } from 'vitest';
import { buildSnapshot, SEED_AFTER_MALLOCS } from './fixtures/build-snapshot';
import { formatTerminalMap } from './terminal-map';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
const ANSI = /\u001b\[[0-9;]*m/g;

/** The bar of each node line: what sits between the first and the last `|`. */
function bars(map: string): string[] {
  return map
    .split('\n')
    .filter((line) => line.includes('|'))
    .map((line) => line.slice(line.indexOf('|') + 1, line.lastIndexOf('|')));
}

describe('formatTerminalMap', () => {
  const seed = buildSnapshot(SEED_AFTER_MALLOCS);

  it('draws the seed example in plain characters', () => {
    const lines = formatTerminalMap(seed, { width: 32 }).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '[1000:5095]  |########========########=======.|  97.7%',
      '[5096:9191]  |########========########=======.|  97.7%',
      '[9192:13287] |########========................|  48.8%',
    ]);
    expect(lines[3]).toMatch(/^Legend: #= PROCESS .* \. HOLE/);
    expect(lines[4]).toBe('');
    expect(lines).toHaveLength(5);
  });

  it('uses 64 cells by default and no escape codes unless asked', () => {
    const map = formatTerminalMap(seed);
    expect(bars(map).map((bar) => bar.length)).toEqual([64, 64, 64]);
    expect(map).not.toMatch(ANSI);
  });

  it('colours with ANSI escapes when color is true, keeping the visible width', () => {
    const map = formatTerminalMap(seed, { width: 40, color: true });
    expect(map).toContain('\u001b[32m');
    expect(map).toContain('\u001b[90m');
    for (const bar of bars(map)) expect([...bar.replace(ANSI, '')]).toHaveLength(40);
    expect(map.replace(ANSI, '')).toContain('PROCESS');
  });

  it('gives a tiny hole at least one cell', () => {
    const [bar] = bars(formatTerminalMap(buildSnapshot(['P4095 H1']), { width: 10 }));
    expect(bar).toBe('#########.');
  });

  it('shows the majority kind per cell when a node has more segments than cells', () => {
    const node = `${'P8 H8 '.repeat(8)}P3968`; // 17 segments, the last one most of the bytes
    const [bar] = bars(formatTerminalMap(buildSnapshot([node], { pageSize: 4096 }), { width: 4 }));
    expect(bar).toBe('####');
    const holes = `${'H8 P8 '.repeat(8)}H3968`;
    const [holeBar] = bars(formatTerminalMap(buildSnapshot([holes], { pageSize: 4096 }), { width: 4 }));
    expect(holeBar).toBe('....');
  });

  it('draws bars to scale by bytes: a 2-page node twice as long as a 1-page one', () => {
    const map = formatTerminalMap(buildSnapshot(['P4096', 'P8192', 'P1000 H3096']), { width: 20 });
    expect(map.split('\n').slice(0, 3)).toEqual([
      '[1000:5095]   |##########|           100.0%',
      '[5096:13287]  |####################| 100.0%',
      '[13288:17383] |##........|            24.4%',
    ]);
    expect(map).toContain('bars to scale, 20 cells = 8192 bytes');
  });

  it('keeps a tiny node visible (one cell) next to a huge one', () => {
    const huge = 'P4096 '.repeat(1000).trim();
    const [hugeBar, tinyBar] = bars(formatTerminalMap(buildSnapshot([huge, 'H4096']), { width: 64 }));
    expect(hugeBar).toHaveLength(64);
    expect(tinyBar).toBe('.');
  });

  it('says so when no node is mapped', () => {
    expect(formatTerminalMap(buildSnapshot([]))).toMatch(/^\(no nodes mapped\)\nLegend: /);
  });
});
