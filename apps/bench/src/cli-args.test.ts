import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from './cli-args.js';

const WORKLOADS = ['churn', 'glibc-simple', 'translate'];
const CONTENDERS = ['first-fit/mmap', 'tlsf/mock', 'koffi-libc'];
const parse = (...argv: string[]) => parseBenchArgs(argv, WORKLOADS, CONTENDERS);

function usageError(...argv: string[]): BenchUsageError {
  try {
    parse(...argv);
  } catch (error) {
    if (error instanceof BenchUsageError) return error;
    throw error;
  }
  throw new Error(`parse(${argv.join(' ')}) did not throw`);
}

describe('the pnpm bench command line', () => {
  it('defaults to a full run of everything', () => {
    expect(parse()).toEqual({ quick: false });
  });

  it('reads every option, and skips the -- that pnpm may pass on', () => {
    expect(
      parse(
        '--',
        '--quick',
        '--out',
        'dir',
        '--workloads',
        'churn,translate',
        '--contenders',
        'tlsf/mock',
        '--from-json',
        'r.json',
        '--live',
        '1000,10000',
        '--trace-dir',
        'my-traces',
        '--rounds',
        '3',
      ),
    ).toEqual({
      quick: true,
      out: 'dir',
      workloads: ['churn', 'translate'],
      contenders: ['tlsf/mock'],
      fromJson: 'r.json',
      live: [1000, 10000],
      traceDir: 'my-traces',
      rounds: 3,
    });
  });

  it('answers --help with the options and exit code 0', () => {
    const help = usageError('--help');
    expect(help.exitCode).toBe(0);
    for (const option of [
      '--quick',
      '--out',
      '--workloads',
      '--contenders',
      '--from-json',
      '--live',
      '--trace-dir',
      '--rounds',
    ])
      expect(help.message).toContain(option);
    expect(help.message).toContain('glibc-simple');
  });

  it('refuses an unknown option, a missing value and stray arguments with exit code 1', () => {
    for (const argv of [
      ['--fast'],
      ['--out'],
      ['churn'],
      ['--live', '10k'],
      ['--live', '0'],
      ['--live', ''],
      ['--rounds', '0'],
      ['--rounds', '1.5'],
      ['--trace-dir'],
    ]) {
      const error = usageError(...argv);
      expect(error.exitCode).toBe(1);
      expect(error.message).toMatch(/error/);
    }
  });

  it('names an unknown workload or contender and lists the valid ones', () => {
    const workload = usageError('--workloads', 'churn,chrun');
    expect(workload.exitCode).toBe(1);
    expect(workload.message).toContain('unknown workload chrun');
    expect(workload.message).toContain('churn, glibc-simple, translate');
    const contender = usageError('--contenders', 'tlsf');
    expect(contender.message).toContain('unknown contender tlsf');
    expect(usageError('--contenders', ',').message).toContain('no contender given');
  });
});
