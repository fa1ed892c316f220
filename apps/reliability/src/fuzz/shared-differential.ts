/**
 * `pnpm fuzz --shared 1`: differential fuzzing of a heap shared by threads (`createSharedMems`),
 * driven from one thread through two objects over the same heap (the creator's and one from
 * `attachMems`, used in turn as each command says), against `createMems` with the same options,
 * which the main fuzzer checks against the reference model. After every command it compares the
 * result or the error (code and message), the seed's stats text, the counters, `validate()`,
 * each live block's bytes and each translated address's offset in its node. A difference throws
 * {@link SharedMismatch} with the sequence so far.
 */
import { attachMems, createMems, createSharedMems, type Mems, type SharedMems } from '@mems/api';
import { createMockProvider, createSharedMemoryProvider, isMemsError } from '@mems/os';
import fc from 'fast-check';
import { batchSeed } from './fuzz.js';

/** A difference between the shared heap and createMems. */
export class SharedMismatch extends Error {
  override readonly name = 'SharedMismatch';
}

/** What each side's provider may map (the shared-memory provider's maxMappingBytes is its maxBytes). */
const PROVIDER_BYTES = 8192 * 4096;

type Target = { at: 'live' | 'interior' | 'freed' | 'beyond'; pick: number; offset: number };
type SharedCommand =
  | { op: 'malloc'; size: number; via: number }
  | { op: 'calloc'; count: number; size: number; via: number }
  | { op: 'free'; target: Target; via: number }
  | { op: 'realloc'; target: Target; size: number; via: number }
  | { op: 'get'; target: Target; via: number }
  | { op: 'write'; target: Target; seed: number; via: number }
  | { op: 'usableSize'; target: Target; via: number }
  | { op: 'trim'; via: number }
  | { op: 'finish'; via: number };

interface SharedSequence {
  options: {
    policy: 'first-fit' | 'next-fit' | 'best-fit' | 'tlsf';
    pageSize: number;
    alignment: number;
    minNodePages: number;
    autoTrim: boolean;
    startAddress: number;
  };
  commands: SharedCommand[];
}

const badNumber = fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 40);
const size = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 9000 }), weight: 60 },
  { arbitrary: badNumber, weight: 5 },
);
const via = fc.nat(1);
const target: fc.Arbitrary<Target> = fc.record({
  at: fc.constantFrom('live', 'live', 'live', 'interior', 'freed', 'beyond'),
  pick: fc.nat(),
  offset: fc.nat(5000),
});
const command: fc.Arbitrary<SharedCommand> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('malloc' as const), size, via }), weight: 30 },
  {
    arbitrary: fc.record({
      op: fc.constant('calloc' as const),
      count: fc.integer({ min: 1, max: 20 }),
      size: fc.integer({ min: 1, max: 400 }),
      via,
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ op: fc.constant('free' as const), target, via }), weight: 25 },
  { arbitrary: fc.record({ op: fc.constant('realloc' as const), target, size, via }), weight: 10 },
  { arbitrary: fc.record({ op: fc.constant('get' as const), target, via }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('write' as const), target, seed: fc.nat(255), via }), weight: 10 },
  { arbitrary: fc.record({ op: fc.constant('usableSize' as const), target, via }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('trim' as const), via }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('finish' as const), via }), weight: 1 },
);

/** Sequences of up to `maxLength` commands under random heap options. */
export function sharedSequenceArb(maxLength: number): fc.Arbitrary<SharedSequence> {
  return fc.record({
    options: fc.record({
      policy: fc.constantFrom(
        'first-fit' as const,
        'next-fit' as const,
        'best-fit' as const,
        'tlsf' as const,
      ),
      pageSize: fc.constantFrom(2048, 4096, 8192),
      alignment: fc.constantFrom(1, 8, 16),
      minNodePages: fc.integer({ min: 1, max: 3 }),
      autoTrim: fc.boolean(),
      startAddress: fc.integer({ min: 0, max: 5000 }),
    }),
    commands: fc.array(command, { minLength: Math.min(20, maxLength), maxLength, size: 'max' }),
  });
}

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

function attempt(action: () => unknown): Outcome {
  try {
    return { ok: true, value: action() };
  } catch (error) {
    if (!isMemsError(error)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

/** Running totals of the shared mode. */
export interface SharedFuzzCounters {
  sequences: number;
  operations: number;
  failedCalls: number;
}

/**
 * Runs one sequence on both heaps and compares after every command.
 * @throws SharedMismatch at the first difference.
 */
export function runSharedSequence(sequence: SharedSequence, counters: SharedFuzzCounters): void {
  counters.sequences++;
  // Both providers hold at most PROVIDER_BYTES, in mappings of at most that much.
  const reference = createMems({
    ...sequence.options,
    provider: createMockProvider({
      pageSize: 4096,
      maxBytes: PROVIDER_BYTES,
      maxMappingBytes: PROVIDER_BYTES,
    }),
  });
  const creator = createSharedMems({
    ...sequence.options,
    provider: createSharedMemoryProvider({ maxBytes: PROVIDER_BYTES }),
  });
  const shared: SharedMems[] = [creator, attachMems(creator.handle)];
  const transcript: string[] = [`options ${JSON.stringify(sequence.options)}`];
  const fail = (problem: string): never => {
    throw new SharedMismatch(`${problem}\n\nThe sequence so far:\n${transcript.join('\n')}`);
  };
  /** Live blocks (start, size) and recently freed starts, as the reference says. */
  let live: { start: number; size: number }[] = [];
  const freed: number[] = [];
  const resolve = (t: Target): number => {
    const end = live.length === 0 ? 1000 : Math.max(...live.map((b) => b.start + b.size));
    if (t.at === 'freed') return freed.length === 0 ? end : freed[t.pick % freed.length]!;
    if (t.at === 'beyond' || live.length === 0) return end + t.offset;
    const block = live[t.pick % live.length]!;
    return t.at === 'interior' && block.size > 1
      ? block.start + 1 + (t.offset % (block.size - 1))
      : block.start;
  };
  const same = (what: string, run: (m: Mems) => unknown, heap: SharedMems, compare = true): Outcome => {
    const want = attempt(() => run(reference));
    const got = attempt(() => run(heap));
    if (
      want.ok !== got.ok ||
      (!want.ok && !got.ok && (want.code !== got.code || want.message !== got.message))
    )
      fail(`${what}: createMems gave ${JSON.stringify(want)}, the shared heap ${JSON.stringify(got)}`);
    if (compare && want.ok && got.ok && want.value !== got.value)
      fail(`${what}: createMems returned ${String(want.value)}, the shared heap ${String(got.value)}`);
    if (!want.ok) counters.failedCalls++;
    return want;
  };
  const nodeOffset = (mems: Mems, physical: bigint): bigint => {
    const nodes = mems.stats().nodes;
    let base = -1n;
    for (const node of nodes) {
      const at = BigInt(node.physicalAddress);
      if (at <= physical && physical - at < BigInt(node.lastAddress - node.start + 1)) base = at;
    }
    return physical - base;
  };
  let finished = false;
  for (const c of sequence.commands) {
    counters.operations++;
    transcript.push(JSON.stringify(c));
    const heap = shared[c.via]!;
    switch (c.op) {
      case 'malloc': {
        const r = same(`malloc(${c.size})`, (m) => m.malloc(c.size), heap);
        if (r.ok) live.push({ start: r.value as number, size: reference.usableSize(r.value as number) });
        break;
      }
      case 'calloc': {
        const r = same(`calloc(${c.count}, ${c.size})`, (m) => m.calloc(c.count, c.size), heap);
        if (r.ok) live.push({ start: r.value as number, size: reference.usableSize(r.value as number) });
        break;
      }
      case 'free': {
        const ptr = resolve(c.target);
        const r = same(`free(${ptr})`, (m) => m.free(ptr), heap);
        if (r.ok) {
          live = live.filter((b) => b.start !== ptr);
          freed.push(ptr);
          if (freed.length > 16) freed.shift();
        }
        break;
      }
      case 'realloc': {
        const ptr = resolve(c.target);
        const r = same(`realloc(${ptr}, ${c.size})`, (m) => m.realloc(ptr, c.size), heap);
        if (r.ok) {
          live = live.filter((b) => b.start !== ptr);
          live.push({ start: r.value as number, size: reference.usableSize(r.value as number) });
          if (r.value !== ptr) freed.push(ptr);
        }
        break;
      }
      case 'get': {
        const ptr = resolve(c.target);
        const r = same(`get(${ptr})`, (m) => m.get(ptr), heap, false);
        if (r.ok) {
          const want = nodeOffset(reference, reference.get(ptr));
          const got = nodeOffset(heap, heap.get(ptr));
          if (want !== got) fail(`get(${ptr}) lies ${got} bytes into its node; createMems says ${want}`);
        }
        break;
      }
      case 'write': {
        const ptr = resolve(c.target);
        same(
          `view(${ptr})`,
          (m) => {
            const bytes = m.view(ptr);
            for (let i = 0; i < bytes.length; i++) bytes[i] = (c.seed + i * 7) & 255;
            return bytes.length;
          },
          heap,
        );
        break;
      }
      case 'usableSize': {
        const ptr = resolve(c.target);
        same(`usableSize(${ptr})`, (m) => m.usableSize(ptr), heap);
        break;
      }
      case 'trim':
        same('trim()', (m) => m.trim(), heap);
        break;
      case 'finish':
        same('finish()', (m) => m.finish(), heap);
        finished = true;
        live = [];
        break;
    }
    // The whole heap after every command, read through the other object.
    const other = shared[1 - c.via]!;
    const texts: string[] = [];
    same('printStats', (m) => m.printStats((text) => texts.push(text)), other);
    if (texts.length === 2 && texts[0] !== texts[1])
      fail(`printStats: createMems printed\n${texts[0]}\nthe shared heap\n${texts[1]}`);
    if (finished) continue;
    const counts = [JSON.stringify(reference.stats().counters), JSON.stringify(other.stats().counters)];
    if (counts[0] !== counts[1]) fail(`counters: createMems ${counts[0]}, the shared heap ${counts[1]}`);
    same('validate()', (m) => m.validate(), other);
    for (const block of live) {
      const want = reference.view(block.start);
      const got = other.view(block.start);
      if (want.length !== got.length || want.some((byte, i) => byte !== got[i]))
        fail(`the bytes of block ${block.start} differ between createMems and the shared heap`);
    }
  }
  if (!finished) {
    reference.finish();
    creator.finish();
  }
}

/**
 * Fuzzes the shared heap for a time budget, in batches seeded as the main fuzzer's are.
 * @returns the counts and the failure report, if any.
 */
export function fuzzShared(options: { seed: number; seconds: number; batch?: number; maxLength?: number }): {
  counters: SharedFuzzCounters;
  batches: number;
  milliseconds: number;
  failure: { batch: number; report: string } | null;
} {
  const counters: SharedFuzzCounters = { sequences: 0, operations: 0, failedCalls: 0 };
  const property = fc.property(sharedSequenceArb(options.maxLength ?? 80), (sequence) => {
    runSharedSequence(sequence, counters);
  });
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let batches = 0;
  for (let batch = options.batch ?? 0; ; batch++) {
    const details = fc.check(property, { seed: batchSeed(options.seed, batch), numRuns: 20 });
    batches++;
    if (details.failed) {
      const error = details.errorInstance;
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return {
        counters,
        batches,
        milliseconds: performance.now() - started,
        failure: { batch, report: `${fc.defaultReportMessage(details) ?? ''}\n\n${why}` },
      };
    }
    if (options.batch !== undefined || performance.now() >= deadline) break;
  }
  return { counters, batches, milliseconds: performance.now() - started, failure: null };
}
