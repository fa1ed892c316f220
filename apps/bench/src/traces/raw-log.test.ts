import { describe, expect, it } from 'vitest';
import { convertRawLog, RawLogError } from './raw-log.js';

describe('convertRawLog', () => {
  it('turns malloc, calloc, realloc and free into a/f/r lines with one id per allocation', () => {
    const log = [
      'm 64 1000',
      'c 3 10 2000',
      'r 1000 80 3000',
      'f 2000',
      'm 10 1000',
      'f 3000',
      'f 1000',
      '',
    ].join('\n');
    const { trace, stats } = convertRawLog(log, 100);
    expect(trace).toBe(['a 0 100', 'a 1 48', 'r 0 128', 'f 1', 'a 2 16', 'f 0', 'f 2', ''].join('\n'));
    expect(stats).toMatchObject({
      operations: 7,
      allocations: 3,
      frees: 3,
      reallocs: 1,
      liveAtEnd: 0,
      peakLiveBytes: 128 + 48,
      truncated: false,
      linesRead: 7,
    });
  });

  it('reads realloc(NULL, n) as an allocation and realloc(p, 0) returning NULL as a free', () => {
    const { trace } = convertRawLog('r 0 20 a0\nr a0 0 0\n', 10);
    expect(trace).toBe('a 0 32\nf 0\n');
  });

  it('writes zero sizes as 1 and counts them', () => {
    const { trace, stats } = convertRawLog('m 0 10\nc 0 8 20\n', 10);
    expect(trace).toBe('a 0 1\na 1 1\n');
    expect(stats.zeroSizes).toBe(2);
  });

  it('drops frees of pointers it never saw, and makes their reallocs allocations', () => {
    const { trace, stats } = convertRawLog('f 99\nr 98 40 10\nf 10\n', 10);
    expect(trace).toBe('a 0 64\nf 0\n');
    expect(stats.unknownPointers).toBe(2);
  });

  it('frees a block first when its address is handed out again without a recorded free', () => {
    const { trace, stats } = convertRawLog('m 10 a\nm 20 a\n', 10);
    expect(trace).toBe('a 0 16\nf 0\na 1 32\n');
    expect(stats.missedFrees).toBe(1);
    expect(stats.peakLiveBytes).toBe(32);
  });

  it('keeps the first operations only, and says so', () => {
    const { trace, stats } = convertRawLog('m 10 1\nm 10 2\nm 10 3\nf 1\n', 2);
    expect(trace).toBe('a 0 16\na 1 16\n');
    expect(stats).toMatchObject({ operations: 2, truncated: true, liveAtEnd: 2, linesRead: 2 });
  });

  it('rejects a line that is not one of the four forms, naming it', () => {
    expect(() => convertRawLog('m 10 1\nx 1\n', 10)).toThrow(RawLogError);
    expect(() => convertRawLog('m 10 1\nx 1\n', 10)).toThrow(/line 2: .*"x 1"/);
    expect(() => convertRawLog('m 10\n', 10)).toThrow(/line 1/);
    expect(() => convertRawLog('f 0xg\n', 10)).toThrow(/line 1/);
    expect(() => convertRawLog('', 0)).toThrow(/maxOperations/);
  });
});
