/**
 * What the mock page provider does with each call, as plain bookkeeping: live bytes and
 * mappings, a `maxBytes` limit and armed faults counted down call by call, exactly as
 * `@mems/os`'s README describes `createMockProvider` and `injectFault`. It knows nothing about
 * addresses: the differential runner reads them from the real provider's log.
 */

/** One fault armed with `injectFault`. */
export interface ModelFault {
  op: 'map' | 'unmap';
  /** Calls of `op` still to come before it fires (1 = the next one). */
  remaining: number;
  kind: 'error' | 'short-buffer';
}

/** The result of one `map` call as the model predicts it. */
export type MapResult =
  | { kind: 'ok'; index: number }
  | { kind: 'short'; index: number }
  | { kind: 'error'; reason: 'fault' | 'maxBytes' };

export class ModelProvider {
  mappedBytes = 0;
  mappingCount = 0;
  /** Every mapping handed out, in order: its length and whether it is still mapped. */
  readonly mappings: { byteLength: number; live: boolean }[] = [];
  /** Indices of the mappings unmapped, in call order. */
  readonly unmapped: number[] = [];
  faults: ModelFault[] = [];

  /**
   * @param pageSize the provider's page size (a short buffer lacks one page by default).
   * @param maxBytes the most bytes mapped at once (`Infinity` for no limit).
   */
  constructor(
    readonly pageSize: number,
    readonly maxBytes: number,
  ) {}

  /** Counts one call of `op`; returns the faults that fire on it (the mock's rule). */
  private countCall(op: 'map' | 'unmap'): ModelFault[] {
    const fired = this.faults.filter((f) => f.op === op && f.remaining === 1);
    this.faults = this.faults.filter((f) => !(f.op === op && f.remaining === 1));
    for (const f of this.faults) if (f.op === op) f.remaining--;
    return fired;
  }

  /** A `map(byteLength)` call with a valid length. */
  map(byteLength: number): MapResult {
    const fired = this.countCall('map');
    if (fired.some((f) => f.kind === 'error')) return { kind: 'error', reason: 'fault' };
    if (this.mappedBytes + byteLength > this.maxBytes) return { kind: 'error', reason: 'maxBytes' };
    this.mappings.push({ byteLength, live: true });
    this.mappedBytes += byteLength;
    this.mappingCount++;
    const index = this.mappings.length - 1;
    return fired.some((f) => f.kind === 'short-buffer') ? { kind: 'short', index } : { kind: 'ok', index };
  }

  /** An `unmap` call of a live mapping; returns false when an armed fault makes it fail. */
  unmap(index: number): boolean {
    const fired = this.countCall('unmap');
    if (fired.length > 0) return false;
    const mapping = this.mappings[index]!;
    mapping.live = false;
    this.mappedBytes -= mapping.byteLength;
    this.mappingCount--;
    this.unmapped.push(index);
    return true;
  }
}
