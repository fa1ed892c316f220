/**
 * The model of `@mems/api`'s process-wide functions: the state (before `mems_init`, live,
 * after `mems_finish`), the argument checks in the documented order, the error codes, and a
 * {@link ModelHeap} underneath. Each method returns what the real call must do.
 */
import type { MemsErrorCode } from '@mems/os';
import { mentionOf } from './describe.js';
import { ModelHeap, type ModelHeapConfig, ModelNoMemory } from './model-heap.js';
import type { ModelProvider } from './model-provider.js';

/** What a call must do: return (a value the runner compares) or throw a MemsError. */
export type Expected<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; code: MemsErrorCode; call: string; mentions: string[] };

/** A translation the runner turns into a physical address once it knows the mapping's address. */
export interface ExpectedPhysical {
  mapping: number;
  offset: number;
}

/** What a view must show: its length and the bytes the model knows (-1 elsewhere). */
export interface ExpectedView {
  address: number;
  length: number;
  known: Int16Array;
}

const ok = <T>(value: T): Expected<T> => ({ ok: true, value });
const fail = (code: MemsErrorCode, call: string, ...mentioned: unknown[]): Expected<never> => ({
  ok: false,
  code,
  call,
  // A trailing undefined argument reads as a missing one, which messages may leave out.
  mentions: mentioned.filter((v) => v !== undefined).map(mentionOf),
});

const isAddress = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/**
 * The largest node of a heap: whole provider pages below 4 GiB and the provider's largest
 * mapping, rounded down to whole heap pages.
 */
export function maxNodeBytesFor(pageSize: number, providerPageSize: number, maxMappingBytes: number): number {
  const limit = Math.floor(Math.min(maxMappingBytes, 2 ** 32 - 1) / providerPageSize) * providerPageSize;
  return Math.floor(limit / pageSize) * pageSize;
}

export class ModelMems {
  heap: ModelHeap | null = null;
  /** The provider of the latest `mems_init` (kept after finish for leak accounting). */
  provider: ModelProvider | null = null;

  get live(): boolean {
    return this.heap !== null;
  }

  private notLive(call: string, ...args: unknown[]): Expected<never> {
    return fail('ESTATE', call, ...args);
  }

  init(config: ModelHeapConfig, provider: ModelProvider): Expected<undefined> {
    if (this.heap !== null) return this.notLive('mems_init');
    this.heap = new ModelHeap(config, provider);
    this.provider = provider;
    return ok(undefined);
  }

  /** `mems_init` with an option the documentation calls invalid. */
  initBad(option: string, value: unknown): Expected<never> {
    if (this.heap !== null) return this.notLive('mems_init');
    return { ok: false, code: 'EINVAL', call: 'mems_init', mentions: [option, mentionOf(value)] };
  }

  finish(): Expected<undefined> {
    const heap = this.heap;
    if (heap === null) return this.notLive('mems_finish');
    this.heap = null;
    const failures = heap.destroy();
    return failures > 0 ? fail('ENOMEM', 'mems_finish') : ok(undefined);
  }

  private checkSize(call: string, size: unknown, heap: ModelHeap): Expected<never> | null {
    if (!isPositive(size)) return fail('EINVAL', call, size);
    if (size > heap.config.maxNodeBytes) return fail('EINVAL', call, size);
    return null;
  }

  /** Runs an allocation, turning a refusal of pages into ENOMEM. */
  private allocating<T>(call: string, action: () => T): Expected<T> {
    try {
      return ok(action());
    } catch (error) {
      if (error instanceof ModelNoMemory) return fail('ENOMEM', call);
      throw error;
    }
  }

  malloc(size: unknown, hint?: number, mapped?: boolean): Expected<number> {
    const heap = this.heap;
    if (heap === null) return this.notLive('mems_malloc', size);
    const bad = this.checkSize('mems_malloc', size, heap);
    if (bad) return bad;
    return this.allocating('mems_malloc', () => heap.allocate(heap.roundUp(size as number), hint, mapped));
  }

  calloc(count: unknown, size: unknown, hint?: number, mapped?: boolean): Expected<number> {
    const heap = this.heap;
    if (heap === null) return this.notLive('mems_calloc', count, size);
    if (!isPositive(count)) return fail('EINVAL', 'mems_calloc', count);
    if (!isPositive(size)) return fail('EINVAL', 'mems_calloc', size);
    const total = count * size;
    if (!Number.isSafeInteger(total) || total > heap.config.maxNodeBytes)
      return fail('EINVAL', 'mems_calloc', count, size);
    return this.allocating('mems_calloc', () => {
      const address = heap.allocate(heap.roundUp(total), hint, mapped);
      heap.setBytes(address, new Int16Array(total));
      return address;
    });
  }

  free(ptr: unknown): Expected<undefined> {
    const heap = this.heap;
    if (heap === null) return this.notLive('mems_free', ptr);
    if (!isAddress(ptr)) return fail('EINVAL', 'mems_free', ptr);
    if (heap.blockAt(ptr) === undefined) return fail('EFAULT', 'mems_free', ptr);
    heap.free(ptr);
    return ok(undefined);
  }

  get(ptr: unknown): Expected<ExpectedPhysical> {
    const heap = this.heap;
    if (heap === null) return this.notLive('mems_get', ptr);
    if (!isAddress(ptr)) return fail('EINVAL', 'mems_get', ptr);
    if (heap.blockHolding(ptr) === undefined) return fail('EFAULT', 'mems_get', ptr);
    const node = heap.nodeHolding(ptr)!;
    return ok({ mapping: node.mapping, offset: ptr - node.start });
  }

  realloc(ptr: unknown, size: unknown, hint?: number, mapped?: boolean): Expected<number> {
    const heap = this.heap;
    if (heap === null) return this.notLive('mems_realloc', ptr, size);
    if (!isAddress(ptr)) return fail('EINVAL', 'mems_realloc', ptr);
    const bad = this.checkSize('mems_realloc', size, heap);
    if (bad) return bad;
    if (heap.blockAt(ptr) === undefined) return fail('EFAULT', 'mems_realloc', ptr);
    return this.allocating('mems_realloc', () =>
      heap.realloc(ptr, heap.roundUp(size as number), hint, mapped),
    );
  }

  /** `mems_view(ptr, length)`; `length` undefined means to the end of the block. */
  view(ptr: unknown, length: unknown): Expected<ExpectedView> {
    const heap = this.heap;
    if (heap === null)
      return length === undefined ? this.notLive('mems_view', ptr) : this.notLive('mems_view', ptr, length);
    if (!isAddress(ptr)) return fail('EINVAL', 'mems_view', ptr);
    const block = heap.blockHolding(ptr);
    if (block === undefined) return fail('EFAULT', 'mems_view', ptr);
    const available = block.start + block.size - ptr;
    const n = length ?? available;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > available)
      return fail('EINVAL', 'mems_view', length);
    return ok({ address: ptr, length: n, known: heap.knownBytes(ptr, n) });
  }

  /** Records bytes written through a view that {@link view} allowed. */
  wrote(address: number, bytes: ArrayLike<number>): void {
    this.heap!.setBytes(address, bytes);
  }

  usableSize(ptr: unknown): Expected<number> {
    const heap = this.heap;
    if (heap === null) return this.notLive('mems_usable_size', ptr);
    if (!isAddress(ptr)) return fail('EINVAL', 'mems_usable_size', ptr);
    const block = heap.blockAt(ptr);
    if (block === undefined) return fail('EFAULT', 'mems_usable_size', ptr);
    return ok(block.size);
  }

  trim(): Expected<number> {
    const heap = this.heap;
    if (heap === null) return this.notLive('mems_trim');
    const { released, failures } = heap.trim();
    return failures > 0 ? fail('ENOMEM', 'mems_trim') : ok(released);
  }

  printStats(): Expected<string> {
    if (this.heap === null) return this.notLive('mems_print_stats');
    return ok(this.heap.renderSeedStats());
  }
}
