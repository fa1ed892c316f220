import { createMems } from '@mems/api';
import { createMockProvider } from '@mems/os';
import { parseTrace, TraceError } from '@mems/traces';
import { describe, expect, it } from 'vitest';
import { replayTrace } from './replay-trace.js';

describe('replayTrace', () => {
  it('tracks peak live bytes and peak mapped bytes, not the final ones', () => {
    const provider = createMockProvider();
    const heap = createMems({ provider });
    const trace = parseTrace('a x 5000\na y 100\nf x\nr y 300\na z 10\n');
    const result = replayTrace(trace, heap, provider);
    expect(result.operations).toBe(5);
    expect(result.peakLiveBytes).toBe(5100);
    expect(result.peakBytesMapped).toBe(8192);
    expect(result.timeMs).toBeGreaterThanOrEqual(0);
    expect(heap.stats().counters).toMatchObject({ liveBlocks: 2, bytesInUse: 310 });
    heap.finish();
  });

  it('calls the hooks between stretches, every N operations and at the end for progress', () => {
    const provider = createMockProvider();
    const heap = createMems({ provider });
    const everyAt: number[] = [];
    const progressAt: number[] = [];
    replayTrace(parseTrace('a a 1\na b 1\na c 1\na d 1\na e 1\n'), heap, provider, {
      every: 2,
      onEvery: (done) => everyAt.push(done),
      progressStep: 3,
      onProgress: (done) => progressAt.push(done),
    });
    expect(everyAt).toEqual([2, 4]);
    expect(progressAt).toEqual([3, 5]);
    heap.finish();
  });

  it('stops at the failing line with the MemsError in the reason, leaving the heap as it was', () => {
    const provider = createMockProvider({ maxBytes: 4096 });
    const heap = createMems({ provider });
    let error: unknown;
    try {
      replayTrace(parseTrace('a x 100\n\na y 5000\na z 1\n'), heap, provider);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TraceError);
    expect((error as TraceError).line).toBe(3);
    expect((error as TraceError).reason).toMatch(/^ENOMEM: malloc\(5000\): the provider refused 8192 bytes/);
    expect(heap.stats().counters.liveBlocks).toBe(1);
    heap.finish();
  });
});
