/**
 * Runs one command sequence through `@mems/api`'s process-wide functions and through the
 * model side by side, and after every step compares: the call's result or error (code, and a
 * message naming the call and the value), the seed's stats text (`mems_print_stats`, captured),
 * `mems_validate`, physical addresses, every byte the model knows of every live block, and the
 * provider's accounting (live bytes and mappings, which mappings were made and unmapped, faults
 * still armed). A difference throws {@link DifferentialMismatch} with a replayable transcript.
 */
import {
  type MemsOptions,
  mems_calloc,
  mems_finish,
  mems_free,
  mems_get,
  mems_init,
  mems_malloc,
  mems_print_stats,
  mems_realloc,
  mems_stats,
  mems_trim,
  mems_usable_size,
  mems_validate,
  mems_view,
} from '@mems/api';
import { FRONT_CACHE_DEFAULTS, SLAB_DEFAULTS } from '@mems/core';
import { createMockProvider, isMemsError, type MemsErrorCode } from '@mems/os';
import {
  type Expected,
  type ExpectedView,
  frontCacheRounding,
  ModelMems,
  ModelMismatch,
  ModelProvider,
  maxNodeBytesFor,
  show,
  slabClassesFor,
} from '@mems/reference-model';
import { captureStdout } from '../capture-stdout.js';
import type { AddressArg, Command, Sequence } from './commands.js';
import { type InitOptions, showCommand } from './commands.js';

/**
 * What the model needs of the heap's size rounding and loose placement: the front cache's
 * granule and limit, and the slab classes when slabs are on (null: neither, exact placement).
 */
function looseRounding(
  o: InitOptions,
  cacheOn: boolean,
  cacheMaxBlockSize: number,
): { granule: number; limit: number; slabClasses?: number[] } | null {
  const cache = cacheOn ? frontCacheRounding(o.alignment, cacheMaxBlockSize) : null;
  if (o.slabs === undefined || o.slabs === false) return cache;
  const slabMax = o.slabs === true ? SLAB_DEFAULTS.maxBlockSize : o.slabs.maxBlockSize;
  return {
    granule: cache?.granule ?? 1,
    limit: cache?.limit ?? 0,
    slabClasses: slabClassesFor(o.alignment, slabMax),
  };
}

import { type RecordingProvider, recordingProvider } from './recording-provider.js';

/** Running totals, for the fuzz CLI's report and the README. */
export interface FuzzCounters {
  sequences: number;
  operations: number;
  /** Calls the model said must throw (bad arguments, bad state, refused pages), by code. */
  failedCalls: Record<MemsErrorCode, number>;
  faultsInjected: number;
  /** The most segments (blocks and holes) one heap held: past 64 the core's tables grow. */
  peakSegments: number;
  /** Allocations under a front cache that got back the block freed just before (a cache hit). */
  cacheReuses: number;
}

export function newCounters(): FuzzCounters {
  return {
    sequences: 0,
    operations: 0,
    failedCalls: { EINVAL: 0, EFAULT: 0, ENOMEM: 0, ESTATE: 0 },
    faultsInjected: 0,
    peakSegments: 0,
    cacheReuses: 0,
  };
}

/** The heap under test did something other than what the model says. */
export class DifferentialMismatch extends Error {
  override readonly name = 'DifferentialMismatch';
}

type Actual<T> = { ok: true; value: T } | { ok: false; error: unknown };

function attempt<T>(action: () => T): Actual<T> {
  try {
    return { ok: true, value: action() };
  } catch (error) {
    return { ok: false, error };
  }
}

function showError(error: unknown): string {
  if (isMemsError(error)) return `MemsError ${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `a thrown ${show(error)}`;
}

function showExpected(e: Expected): string {
  return e.ok ? 'success' : `MemsError ${e.code} from ${e.call}`;
}

/** The pattern `write` puts in a block: byte i of pattern `seed`. */
export function writePattern(seed: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (seed + i * 7 + (i >> 8)) & 255;
  return bytes;
}

/** Mock page size under every fuzzed heap (heap pages of 2048, 4096 and 8192 bytes sit on it). */
const PROVIDER_PAGE = 4096;

class SequenceRun {
  private readonly model = new ModelMems();
  private current: RecordingProvider | null = null;
  /** Addresses of blocks freed (or moved away from) by this sequence, newest last. */
  private readonly freed: number[] = [];
  private readonly transcript: string[] = [];

  /** Check every live byte after every step, or (long sequences) after every 16th and the last. */
  private bytesEvery = 1;

  constructor(
    private readonly counters: FuzzCounters,
    private readonly tamper?: (step: number) => void,
  ) {}

  private mismatch(problem: string): never {
    throw new DifferentialMismatch(
      `${problem}\n\nThe sequence so far (the last call is where they differ):\n${this.transcript.join('\n')}`,
    );
  }

  // ------------------------------------------------------------------ arguments

  private fallback(): number {
    return this.model.heap?.endAddress() ?? 1000;
  }

  private resolve(a: AddressArg): unknown {
    const heap = this.model.heap;
    switch (a.at) {
      case 'live': {
        const blocks = heap?.blocks() ?? [];
        return blocks.length === 0 ? this.fallback() : blocks[a.pick % blocks.length]!.start;
      }
      case 'interior': {
        const blocks = heap?.blocks() ?? [];
        if (blocks.length === 0) return this.fallback();
        const b = blocks[a.pick % blocks.length]!;
        return b.size === 1 ? b.start : b.start + 1 + (a.offset % (b.size - 1));
      }
      case 'hole': {
        const holes = heap?.holes() ?? [];
        if (holes.length === 0) return this.fallback();
        const h = holes[a.pick % holes.length]!;
        return h.start + (a.offset % h.size);
      }
      case 'freed':
        return this.freed.length === 0 ? this.fallback() : this.freed[a.pick % this.freed.length]!;
      case 'beyond':
        return this.fallback() + a.offset;
      case 'below': {
        const start = heap?.config.startAddress ?? 1000;
        return start - 1 - a.offset >= 0 ? start - 1 - a.offset : 2 ** 40 + a.offset;
      }
      case 'value':
        return a.value;
    }
  }

  private noteFreed(address: number): void {
    this.freed.push(address);
    if (this.freed.length > 32) this.freed.shift();
  }

  // ------------------------------------------------------------------ comparing one call

  /**
   * Compares a real call with the model's expectation; `same` compares successful values and
   * returns a problem or null.
   */
  private compare<T>(
    expected: Expected<T>,
    actual: Actual<unknown>,
    same: (want: T, got: unknown) => string | null,
  ) {
    if (expected.ok) {
      if (!actual.ok) this.mismatch(`expected success, got ${showError(actual.error)}`);
      const problem = same(expected.value, actual.value);
      if (problem !== null) this.mismatch(problem);
      return;
    }
    this.counters.failedCalls[expected.code]++;
    if (actual.ok) this.mismatch(`expected ${showExpected(expected)}, got the result ${show(actual.value)}`);
    const error = actual.error;
    if (!isMemsError(error, expected.code))
      this.mismatch(`expected ${showExpected(expected)}, got ${showError(error)}`);
    if (!error.message.startsWith(expected.call))
      this.mismatch(`the message does not start with the call ${expected.call}: ${error.message}`);
    for (const mention of expected.mentions)
      if (!error.message.includes(mention))
        this.mismatch(`the message does not name the value ${mention}: ${error.message}`);
  }

  private sameNumber = (want: number, got: unknown): string | null =>
    want === got ? null : `expected ${want}, got ${show(got)}`;

  private sameUndefined = (_want: undefined, got: unknown): string | null =>
    got === undefined ? null : `expected no result, got ${show(got)}`;

  private sameView = (want: ExpectedView, got: unknown): string | null => {
    if (!(got instanceof Uint8Array)) return `expected a Uint8Array, got ${show(got)}`;
    if (got.length !== want.length) return `expected a view of ${want.length} bytes, got ${got.length}`;
    for (let i = 0; i < want.length; i++) {
      const k = want.known[i]!;
      if (k !== -1 && got[i] !== k)
        return `byte ${want.address + i} reads ${got[i]} through the view, the model says ${k}`;
    }
    return null;
  };

  // ------------------------------------------------------------------ one step

  step(c: Command): void {
    if (c.op === 'restart') {
      this.step({ op: 'finish' });
      this.step({ op: 'init', options: c.options });
      return;
    }
    this.counters.operations++;
    const line = `${String(this.transcript.length + 1).padStart(4)}. ${showCommand(c)}`;
    this.transcript.push(line);
    const note = (real: Actual<unknown>, call: string) => {
      this.transcript[this.transcript.length - 1] =
        `${line.padEnd(44)} ${call} → ${real.ok ? (real.value === undefined ? 'ok' : show(real.value)) : isMemsError(real.error) ? real.error.code : 'throws'}`;
    };
    const model = this.model;
    const hint = (real: Actual<unknown>) =>
      real.ok && typeof real.value === 'number' ? real.value : undefined;
    try {
      switch (c.op) {
        case 'init': {
          const o = c.options;
          const maxBytes = o.maxPages === null ? Number.POSITIVE_INFINITY : o.maxPages * PROVIDER_PAGE;
          const recording = recordingProvider(createMockProvider({ pageSize: PROVIDER_PAGE, maxBytes }));
          const options: MemsOptions = {
            provider: recording.provider,
            pageSize: o.pageSize,
            startAddress: o.startAddress,
            alignment: o.alignment,
            policy: o.policy,
            minNodePages: o.minNodePages,
            autoTrim: o.autoTrim,
          };
          if (o.frontCache !== undefined) options.frontCache = o.frontCache;
          if (o.slabs !== undefined) options.slabs = o.slabs;
          // The cache is on by default under tlsf and best-fit (core's FRONT_CACHE_DEFAULTS).
          const cacheOn = (o.policy === 'tlsf' || o.policy === 'best-fit') && o.frontCache !== false;
          const maxBlockSize =
            typeof o.frontCache === 'object' ? o.frontCache.maxBlockSize : FRONT_CACHE_DEFAULTS.maxBlockSize;
          const real = attempt(() => mems_init(options));
          note(real, 'mems_init');
          const expected = model.init(
            {
              pageSize: o.pageSize,
              startAddress: o.startAddress,
              alignment: o.alignment,
              policy: o.policy,
              minNodePages: o.minNodePages,
              autoTrim: o.autoTrim,
              maxNodeBytes: maxNodeBytesFor(o.pageSize, PROVIDER_PAGE, recording.mock.maxMappingBytes),
              providerPageSize: PROVIDER_PAGE,
              frontCache: looseRounding(o, cacheOn, maxBlockSize),
            },
            new ModelProvider(PROVIDER_PAGE, maxBytes),
          );
          if (expected.ok) this.current = recording;
          this.compare(expected, real, this.sameUndefined);
          break;
        }
        case 'initBad': {
          const options = { provider: createMockProvider(), [c.option]: c.value } as MemsOptions;
          const real = attempt(() => mems_init(options));
          note(real, 'mems_init');
          const expected = model.initBad(c.option, c.value);
          if (c.option === 'pagesize' && !expected.ok && expected.code === 'EINVAL')
            expected.mentions = ['"pagesize"']; // an unknown option is named, not its value
          this.compare(expected, real, this.sameUndefined);
          break;
        }
        case 'finish': {
          const real = attempt(() => mems_finish());
          note(real, 'mems_finish');
          this.compare(model.finish(), real, this.sameUndefined);
          break;
        }
        case 'malloc': {
          const calls = this.mapCalls();
          const real = attempt(() => mems_malloc(c.size as number));
          note(real, `mems_malloc(${show(c.size)})`);
          this.compare(model.malloc(c.size, hint(real), this.mapCalls() > calls), real, this.sameNumber);
          if (real.ok && model.heap?.config.frontCache && real.value === this.freed[this.freed.length - 1])
            this.counters.cacheReuses++;
          break;
        }
        case 'calloc': {
          const calls = this.mapCalls();
          const real = attempt(() => mems_calloc(c.count as number, c.size as number));
          note(real, `mems_calloc(${show(c.count)}, ${show(c.size)})`);
          this.compare(
            model.calloc(c.count, c.size, hint(real), this.mapCalls() > calls),
            real,
            this.sameNumber,
          );
          break;
        }
        case 'free': {
          const ptr = this.resolve(c.at);
          const real = attempt(() => mems_free(ptr as number));
          note(real, `mems_free(${show(ptr)})`);
          const expected = model.free(ptr);
          if (expected.ok) this.noteFreed(ptr as number);
          this.compare(expected, real, this.sameUndefined);
          break;
        }
        case 'get': {
          const ptr = this.resolve(c.at);
          const real = attempt(() => mems_get(ptr as number));
          note(real, `mems_get(${show(ptr)})`);
          this.compare(model.get(ptr), real, (want, got) => {
            const base = this.current!.maps[want.mapping]!.address;
            const physical = base + BigInt(want.offset);
            return got === physical ? null : `expected the physical address ${physical}, got ${show(got)}`;
          });
          break;
        }
        case 'realloc': {
          const ptr = this.resolve(c.at);
          const calls = this.mapCalls();
          const real = attempt(() => mems_realloc(ptr as number, c.size as number));
          note(real, `mems_realloc(${show(ptr)}, ${show(c.size)})`);
          const expected = model.realloc(ptr, c.size, hint(real), this.mapCalls() > calls);
          if (expected.ok && expected.value !== ptr) this.noteFreed(ptr as number);
          this.compare(expected, real, this.sameNumber);
          break;
        }
        case 'view': {
          const ptr = this.resolve(c.at);
          const real = attempt(() => mems_view(ptr as number, c.length as number));
          note(
            real.ok ? { ok: true, value: `${(real.value as Uint8Array).length} bytes` } : real,
            `mems_view(${show(ptr)}${c.length === undefined ? '' : `, ${show(c.length)}`})`,
          );
          this.compare(model.view(ptr, c.length), real, this.sameView);
          break;
        }
        case 'write': {
          const ptr = this.resolve(c.at);
          const real = attempt(() => mems_view(ptr as number));
          note(
            real.ok ? { ok: true, value: `${(real.value as Uint8Array).length} bytes written` } : real,
            `mems_view(${show(ptr)})`,
          );
          const expected = model.view(ptr, undefined);
          this.compare(expected, real, this.sameView);
          if (expected.ok && real.ok) {
            const bytes = writePattern(c.seed, expected.value.length);
            (real.value as Uint8Array).set(bytes);
            model.wrote(ptr as number, bytes);
          }
          break;
        }
        case 'usableSize': {
          const ptr = this.resolve(c.at);
          const real = attempt(() => mems_usable_size(ptr as number));
          note(real, `mems_usable_size(${show(ptr)})`);
          this.compare(model.usableSize(ptr), real, this.sameNumber);
          break;
        }
        case 'trim': {
          const real = attempt(() => mems_trim());
          note(real, 'mems_trim()');
          this.compare(model.trim(), real, this.sameNumber);
          break;
        }
        case 'fault': {
          const provider = model.provider;
          const mock = this.current?.mock;
          note({ ok: true, value: provider ? 'armed' : 'no provider yet' }, 'injectFault');
          if (provider === null || mock === undefined) break;
          mock.injectFault({ op: c.target, nth: c.nth, kind: c.kind });
          provider.faults.push({ op: c.target, remaining: c.nth, kind: c.kind });
          this.counters.faultsInjected++;
          break;
        }
      }
    } catch (error) {
      if (error instanceof ModelMismatch) this.mismatch(error.message);
      throw error;
    }
    this.tamper?.(this.transcript.length);
    this.checkState();
  }

  // ------------------------------------------------------------------ the state after a step

  private checkState(): void {
    const model = this.model;
    const expectedProvider = model.provider;
    const recording = this.current;
    if (expectedProvider !== null && recording !== null) {
      const mock = recording.mock;
      if (
        mock.mappedBytes !== expectedProvider.mappedBytes ||
        mock.mappingCount !== expectedProvider.mappingCount
      )
        this.mismatch(
          `the provider has ${mock.mappedBytes} bytes in ${mock.mappingCount} mappings; the model says ${expectedProvider.mappedBytes} bytes in ${expectedProvider.mappingCount}`,
        );
      if (mock.pendingFaults !== expectedProvider.faults.length)
        this.mismatch(
          `${mock.pendingFaults} faults are still armed; the model says ${expectedProvider.faults.length}`,
        );
      const lengths = recording.maps.map((m) => m.byteLength).join(', ');
      const expectedLengths = expectedProvider.mappings.map((m) => m.byteLength).join(', ');
      if (lengths !== expectedLengths)
        this.mismatch(`the provider mapped [${lengths}] bytes so far; the model says [${expectedLengths}]`);
      if (recording.unmaps.join(', ') !== expectedProvider.unmapped.join(', '))
        this.mismatch(
          `the mappings unmapped so far are #[${recording.unmaps.join(', ')}]; the model says #[${expectedProvider.unmapped.join(', ')}]`,
        );
    }
    const heap = model.heap;
    if (heap === null) {
      const real = attempt(() => captureStdout(() => mems_print_stats()));
      if (real.ok || !isMemsError(real.error, 'ESTATE'))
        this.mismatch(
          `mems_print_stats() must be ESTATE when MeMS is not live, got ${real.ok ? 'output' : showError(real.error)}`,
        );
      return;
    }
    const segments = heap.nodes.reduce((n, node) => n + node.segments.length, 0);
    if (segments > this.counters.peakSegments) this.counters.peakSegments = segments;
    const text = captureStdout(() => mems_print_stats());
    const expectedText = heap.renderSeedStats();
    if (text !== expectedText)
      this.mismatch(`mems_print_stats() printed\n${text}\nthe model renders\n${expectedText}`);
    const valid = attempt(() => mems_validate());
    if (!valid.ok) this.mismatch(`mems_validate() failed: ${showError(valid.error)}`);
    const snapshot = mems_stats();
    heap.nodes.forEach((node, i) => {
      const physical = String(recording!.maps[node.mapping]!.address);
      if (snapshot.nodes[i]?.physicalAddress !== physical)
        this.mismatch(
          `node ${node.start} is at ${snapshot.nodes[i]?.physicalAddress}; its mapping is at ${physical}`,
        );
    });
    if (this.transcript.length % this.bytesEvery !== 0) return;
    this.checkBytes(heap);
  }

  /**
   * How many times the heap called its provider's `map` so far: a heap with a front cache may
   * map a node while cached memory (free to the model) could have served, so the model is told.
   */
  private mapCalls(): number {
    return this.current?.mapCalls ?? 0;
  }

  private checkBytes(heap: NonNullable<ModelMems['heap']>): void {
    for (const block of heap.blocks()) {
      const view = attempt(() => mems_view(block.start));
      if (!view.ok)
        this.mismatch(`mems_view(${block.start}) of a live block failed: ${showError(view.error)}`);
      const problem = this.sameView(
        { address: block.start, length: block.size, known: heap.knownBytes(block.start, block.size) },
        view.value,
      );
      if (problem !== null) this.mismatch(`block ${block.start} (${block.size} bytes): ${problem}`);
    }
  }

  /** Runs the sequence, then finishes MeMS if it is still live (a checked step too). */
  run(sequence: Sequence): void {
    // Long sequences hold megabytes: reading every byte after every step would dominate.
    if (sequence.length > 80) this.bytesEvery = 16;
    for (const c of sequence) this.step(c);
    if (this.model.heap !== null) this.checkBytes(this.model.heap);
    if (this.model.live) {
      this.transcript.push('      (end of the sequence)');
      this.step({ op: 'finish' });
    }
    const provider = this.model.provider;
    if (provider !== null && this.current !== null) {
      // Every mapping went back, except those whose unmap was made to fail.
      const leaked = provider.mappings.filter((m) => m.live).length;
      if (this.current.mock.mappingCount !== leaked)
        this.mismatch(
          `after mems_finish the provider still holds ${this.current.mock.mappingCount} mappings; ${leaked} were expected (failed unmaps)`,
        );
    }
  }
}

/** Leaves the process-wide MeMS uninitialised (a failed sequence may have left it live). */
function resetGlobals(): void {
  try {
    mems_finish();
  } catch {
    // Not live, or the unmap faults of a failed sequence: either way it is down now.
  }
}

/**
 * Runs one sequence against the model; throws {@link DifferentialMismatch} on a difference.
 * @param sequence the commands.
 * @param counters totals to add to.
 * @param tamper for the runner's own tests: called after each step's call, before the checks,
 *   with the step number, to change the heap behind the model's back.
 */
export function runSequence(
  sequence: Sequence,
  counters: FuzzCounters = newCounters(),
  tamper?: (step: number) => void,
): void {
  resetGlobals();
  counters.sequences++;
  try {
    new SequenceRun(counters, tamper).run(sequence);
  } finally {
    resetGlobals();
  }
}
