/**
 * One worker of `pnpm fuzz --shared N`: a seeded random sequence of malloc, calloc, realloc and
 * free of its own blocks on the shared heap, blocks handed to other workers (and freed or
 * realloc'd by them), pattern writes through views and through `get` + raw stores, `get`,
 * `usableSize`, `stats`/`validate`/`printStats`/`trim`, and misuse that must be refused with the
 * exact code and message a one-thread heap gives. Every block it holds is recorded in the
 * run's registry and filled with its id's pattern, verified before every free, realloc and
 * hand-off, and after every refused call on it.
 *
 * The run goes in rounds: random operations concurrently with the other workers, the round's
 * barrier, then one turn each alone on the heap (misuse that needs a quiet heap: a second free
 * of a block this worker freed, which no thread holds now, whose message names the free hole
 * around it and which must leave the heap exactly as it was), then the main thread's
 * checkpoint. At the end it frees everything it holds or was handed, and detaches.
 */
import { createMems, type Mems, type SharedMemsHandle } from '@mems/api';
import { createMockProvider, isMemsError } from '@mems/os';
import { patternByte } from '../integrity/block-patterns.js';
import { mulberry32 } from '../integrity/random.js';
import { BlockRegistry, type HeldBlock } from './block-registry.js';
import type { FuzzedHeap, RawMemory } from './fuzzed-heap.js';
import { HandOffRings } from './hand-off-rings.js';
import { interiorAddressMessage, notABlockMessage } from './misuse-messages.js';
import type { Sabotage } from './sabotaged-heap.js';
import { checkPattern, describeBlockId, fillPattern, threadBlockId } from './thread-block-patterns.js';
import { ThreadBoard, WorkerPhase } from './thread-board.js';
import { ThreadCheckFailed } from './thread-check-failed.js';
import { plainHeapOptions, type ThreadHeapOptions } from './thread-heap-options.js';
import { LoggedOp, type LoggedOpCode, MISUSE_CALLS, ThreadOpLog } from './thread-op-log.js';

/** What the main thread posts to each worker (`workerData`). */
export interface FuzzThreadSetup {
  readonly index: number;
  readonly workers: number;
  /** This worker's seed (from the run's seed and the worker's index). */
  readonly seed: number;
  readonly handle: SharedMemsHandle;
  readonly options: ThreadHeapOptions;
  /** The run's {@link ThreadBoard}, {@link BlockRegistry}, {@link HandOffRings} and {@link ThreadOpLog} buffers. */
  readonly board: SharedArrayBuffer;
  readonly registry: SharedArrayBuffer;
  readonly rings: SharedArrayBuffer;
  readonly log: SharedArrayBuffer;
  readonly slotsPerWorker: number;
  readonly ringCapacity: number;
  /** The most random operations in one round (each round takes 1 to this many). */
  readonly roundOps: number;
  /** A deliberate breakage of the heap (the fuzzer's own tests), or null. */
  readonly sabotage: Sabotage | null;
}

/** What a worker did, posted back when it ends. */
export interface FuzzThreadCounts {
  operations: number;
  mallocs: number;
  callocs: number;
  reallocs: number;
  frees: number;
  handedOn: number;
  received: number;
  /** Misused calls refused as expected, while other workers ran. */
  refused: number;
  /** Misused calls refused as expected, alone on the heap (double frees and the like). */
  refusedAlone: number;
  verifiedBytes: number;
  /** Bytes written or read through `get` and raw memory (real pages only). */
  rawBytes: number;
  inspections: number;
  rounds: number;
}

type OwnBlock = HeldBlock & { slot: number };

/** Addresses this worker freed lately: the candidates for a second free in its turn. */
const FREED_MEMORY = 16;
const NEVER_MAPPED = 2 ** 50;
const BAD_SIZES = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -0];

/**
 * Runs one worker to the end of the run.
 * @param setup what the main thread posted.
 * @param heap this thread's heap (from `attachMems`, or a sabotaged wrapper of it).
 * @param raw raw memory access when the pages are real (shared mmap), else null.
 * @returns its counts.
 * @throws ThreadCheckFailed at the first broken promise; RunAborted when another thread failed.
 */
export function runFuzzThread(
  setup: FuzzThreadSetup,
  heap: FuzzedHeap,
  raw: RawMemory | null,
): FuzzThreadCounts {
  return new FuzzThread(setup, heap, raw).run();
}

class FuzzThread {
  private readonly board: ThreadBoard;
  private readonly registry: BlockRegistry;
  private readonly rings: HandOffRings;
  private readonly log: ThreadOpLog;
  private readonly random: () => number;
  /** A private createMems heap with the same options: the refusals that need no shared state. */
  private readonly replay: Mems;
  private readonly live: OwnBlock[] = [];
  private readonly freed: number[] = [];
  private counter = 0;
  private readonly index: number;
  readonly counts: FuzzThreadCounts = {
    operations: 0,
    mallocs: 0,
    callocs: 0,
    reallocs: 0,
    frees: 0,
    handedOn: 0,
    received: 0,
    refused: 0,
    refusedAlone: 0,
    verifiedBytes: 0,
    rawBytes: 0,
    inspections: 0,
    rounds: 0,
  };

  constructor(
    private readonly setup: FuzzThreadSetup,
    private readonly heap: FuzzedHeap,
    private readonly raw: RawMemory | null,
  ) {
    this.index = setup.index;
    this.board = new ThreadBoard(setup.board, setup.workers);
    this.registry = new BlockRegistry(setup.registry, setup.workers, setup.slotsPerWorker, setup.index);
    this.rings = new HandOffRings(setup.rings, setup.workers, setup.ringCapacity);
    this.log = new ThreadOpLog(setup.log, setup.workers);
    this.random = mulberry32(setup.seed);
    this.replay = createMems({
      ...plainHeapOptions(setup.options),
      provider: createMockProvider({ pageSize: 4096, maxBytes: 64 * 4096 }),
    });
  }

  run(): FuzzThreadCounts {
    const board = this.board;
    board.setPhase(this.index, WorkerPhase.starting);
    board.arriveAndWait();
    for (let round = 0; ; round++) {
      board.setPhase(this.index, WorkerPhase.operating);
      const ops = 1 + this.int(this.setup.roundOps);
      for (let i = 0; i < ops; i++) {
        this.step();
        if ((i & 15) === 15) board.throwIfFailed();
      }
      const atBarrier = this.log.begin(this.index, LoggedOp.barrier, round);
      board.setPhase(this.index, WorkerPhase.atBarrier);
      board.arriveAndWait();
      this.log.settle(atBarrier, 0);
      const atTurn = this.log.begin(this.index, LoggedOp.turn, round);
      board.setPhase(this.index, WorkerPhase.waitingForTurn);
      board.waitForTurn(board.turnOf(round, this.index));
      board.waitForMainCall();
      board.setPhase(this.index, WorkerPhase.inTurn);
      this.aloneOnTheHeap();
      this.log.settle(atTurn, 0);
      board.passTurn();
      board.setPhase(this.index, WorkerPhase.waitingForTurn);
      board.waitForTurn(board.turnOf(round + 1, 0));
      this.counts.rounds++;
      if (board.stopRequested) break;
    }
    board.setPhase(this.index, WorkerPhase.finishing);
    this.freeEverything();
    this.heap.detach();
    this.replay.finish();
    board.setPhase(this.index, WorkerPhase.done);
    return this.counts;
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private fail(problem: string): never {
    throw new ThreadCheckFailed(`worker ${this.index}: ${problem}`);
  }

  private begin(code: LoggedOpCode, a = 0, b = 0, c = 0): number {
    return this.log.begin(this.index, code, a, b, c);
  }

  /** A size: mostly small, sometimes a few pages, rarely many. */
  private size(): number {
    const r = this.random();
    if (r < 0.6) return 1 + this.int(256);
    if (r < 0.9) return 1 + this.int(2048);
    if (r < 0.985) return 1 + this.int(9000);
    return 9001 + this.int(60_000);
  }

  /** Every block of the run (the registry and the rings): suspects for damaged bytes. */
  private readonly everyBlock = (): HeldBlock[] => [...this.registry.blocks(), ...this.rings.inFlight()];

  private verify(block: HeldBlock, length: number, what: string): void {
    const at = this.begin(LoggedOp.verify, block.address, length, block.id);
    this.counts.verifiedBytes += checkPattern(
      this.heap,
      block,
      length,
      `worker ${this.index}, ${what}`,
      this.everyBlock,
    );
    this.log.settle(at, 0);
  }

  private fill(block: HeldBlock, from: number, to: number): void {
    const at = this.begin(LoggedOp.write, block.address + from, to - from, block.id);
    fillPattern(this.heap, block, from, to);
    this.log.settle(at, 0);
  }

  /** Writes the first bytes of a block through get() and raw stores (real pages only). */
  private rawFill(block: HeldBlock, count: number): void {
    if (this.raw === null) return;
    const at = this.begin(LoggedOp.rawWrite, block.address, count, block.id);
    for (let i = 0; i < count; i++)
      this.raw.writeByteAt(this.heap.get(block.address + i), patternByte(block.id, i));
    this.counts.rawBytes += count;
    this.log.settle(at, 0);
  }

  private usable(address: number, atLeast: number, what: string): number {
    const at = this.begin(LoggedOp.usableSize, address);
    const usable = this.heap.usableSize(address);
    this.log.settle(at, usable);
    if (!(usable >= atLeast))
      this.fail(`${what}: usableSize(${address}) is ${usable}, less than the ${atLeast} asked for`);
    return usable;
  }

  private adopt(block: HeldBlock): OwnBlock {
    const own = { ...block, slot: -1 };
    own.slot = this.registry.record(own);
    this.live.push(own);
    return own;
  }

  private removeLive(position: number): OwnBlock {
    const block = this.live[position]!;
    this.live[position] = this.live[this.live.length - 1]!;
    this.live.pop();
    return block;
  }

  private remember(address: number): void {
    this.freed.push(address);
    if (this.freed.length > FREED_MEMORY) this.freed.shift();
  }

  /** One random operation, then a look at one incoming ring. */
  private step(): void {
    this.counts.operations++;
    const room = this.registry.room;
    const r = this.random();
    const any = this.live.length > 0;
    if (!any || (r < 0.22 && room > 2)) this.malloc();
    else if (r < 0.27 && room > 2) this.calloc();
    else if (r < 0.37) this.realloc(this.int(this.live.length));
    else if (r < 0.55 || room <= 2) this.free(this.int(this.live.length));
    else if (r < 0.63) this.handOn(this.int(this.live.length));
    else if (r < 0.7) this.rewrite(this.live[this.int(this.live.length)]!);
    else if (r < 0.75) {
      const block = this.live[this.int(this.live.length)]!;
      this.verify(block, block.size, 'a random check');
    } else if (r < 0.8) this.translate(this.live[this.int(this.live.length)]!);
    else if (r < 0.84) {
      const block = this.live[this.int(this.live.length)]!;
      const usable = this.usable(block.address, block.size, 'usableSize');
      if (usable !== block.size) this.fail(`usableSize(${block.address}) is ${usable}, it was ${block.size}`);
    } else if (r < 0.93) this.misuse();
    else if (r < 0.95) this.inspect();
    else for (let from = 0; from < this.setup.workers; from++) this.receiveFrom(from);
    this.receiveFrom(this.int(this.setup.workers));
  }

  private malloc(): void {
    const size = this.size();
    const id = threadBlockId(this.index, ++this.counter);
    const at = this.begin(LoggedOp.malloc, size, 0, id);
    const address = this.heap.malloc(size);
    this.log.settle(at, address);
    const block = this.adopt({ address, size: this.usable(address, size, `malloc(${size})`), id });
    this.counts.mallocs++;
    const rawBytes = this.raw !== null && this.random() < 0.2 ? Math.min(block.size, 1 + this.int(16)) : 0;
    this.rawFill(block, rawBytes);
    this.fill(block, rawBytes, block.size);
  }

  private calloc(): void {
    const count = 1 + this.int(16);
    const each = 1 + this.int(256);
    const id = threadBlockId(this.index, ++this.counter);
    const at = this.begin(LoggedOp.calloc, count, each, id);
    const address = this.heap.calloc(count, each);
    this.log.settle(at, address);
    const size = this.usable(address, count * each, `calloc(${count}, ${each})`);
    const bytes = this.heap.view(address, size);
    const nonZero = bytes.findIndex((byte) => byte !== 0);
    if (nonZero >= 0)
      this.fail(
        `calloc(${count}, ${each}) → ${address}: byte ${address + nonZero} of its ${size} usable bytes is ${bytes[nonZero]}, not 0`,
      );
    this.counts.callocs++;
    this.fill(this.adopt({ address, size, id }), 0, size);
  }

  private realloc(position: number): void {
    const block = this.live[position]!;
    this.verify(block, block.size, 'before realloc');
    const size = this.size();
    const at = this.begin(LoggedOp.realloc, block.address, size, block.id);
    const moved = this.heap.realloc(block.address, size);
    this.log.settle(at, moved);
    this.counts.reallocs++;
    const kept = Math.min(block.size, size);
    if (moved !== block.address) this.remember(block.address);
    block.address = moved;
    block.size = kept;
    this.verify(block, kept, `the kept prefix after realloc(…, ${size}) → ${moved}`);
    block.size = this.usable(moved, size, `realloc(…, ${size})`);
    this.registry.update(block.slot, block);
    this.fill(block, kept, block.size);
  }

  private free(position: number): void {
    const block = this.removeLive(position);
    this.verify(block, block.size, 'before free');
    this.registry.release(block.slot);
    const at = this.begin(LoggedOp.free, block.address, 0, block.id);
    this.heap.free(block.address);
    this.log.settle(at, 0);
    this.counts.frees++;
    this.remember(block.address);
  }

  private handOn(position: number): void {
    if (this.setup.workers < 2) return;
    const to = (this.index + 1 + this.int(this.setup.workers - 1)) % this.setup.workers;
    const block = this.live[position]!;
    this.verify(block, block.size, 'before handing it on');
    if (!this.rings.send(this.index, to, block)) return;
    this.removeLive(position);
    this.registry.release(block.slot);
    this.log.settle(this.begin(LoggedOp.send, block.address, block.size, block.id), to);
    this.counts.handedOn++;
  }

  /** Takes one block another worker handed here, checks it, then frees, reallocs or keeps it. */
  private receiveFrom(from: number): void {
    if (from === this.index || this.registry.room <= 1) return;
    const block = this.rings.receive(this.index, from);
    if (block === null) return;
    this.log.settle(this.begin(LoggedOp.receive, block.address, block.size, block.id), from);
    this.counts.received++;
    this.verify(block, block.size, `a block received from worker ${from}`);
    this.adopt(block);
    const r = this.random();
    if (r < 0.4) this.free(this.live.length - 1);
    else if (r < 0.7) this.realloc(this.live.length - 1);
  }

  /** Rewrites part of a block through a view of that part (same pattern: nothing changes). */
  private rewrite(block: OwnBlock): void {
    const from = this.int(block.size);
    this.fill(block, from, from + 1 + this.int(block.size - from));
  }

  /** get() of a block's bytes: contiguous physical addresses, and on real pages the same bytes. */
  private translate(block: OwnBlock): void {
    const offset = this.int(block.size);
    const at = this.begin(LoggedOp.get, block.address + offset, 0, block.id);
    const physical = this.heap.get(block.address + offset);
    this.log.settle(at, 0);
    const base = this.heap.get(block.address);
    if (physical - base !== BigInt(offset))
      this.fail(
        `get(${block.address + offset}) - get(${block.address}) is ${physical - base}, not ${offset}`,
      );
    if (this.raw !== null) {
      const byte = this.raw.readByteAt(physical);
      this.counts.rawBytes++;
      if (byte !== patternByte(block.id, offset)) {
        // Damage the view sees too is reported with the block whose pattern explains it.
        this.verify(block, block.size, `get(${block.address + offset}) read a wrong byte`);
        this.fail(
          `block ${describeBlockId(block.id)}: byte ${block.address + offset} reads 0x${byte.toString(16)} at its physical address 0x${physical.toString(16)}, its pattern is 0x${patternByte(block.id, offset).toString(16)}, and its view shows the pattern`,
        );
      }
    }
  }

  /** stats, validate, printStats, sometimes trim, while the other workers run. */
  private inspect(): void {
    this.counts.inspections++;
    const r = this.random();
    if (r < 0.4) {
      const at = this.begin(LoggedOp.stats);
      const c = this.heap.stats().counters;
      this.log.settle(at, 0);
      if (c.bytesInUse + c.bytesFree !== c.bytesMapped)
        this.fail(
          `stats(): bytesInUse ${c.bytesInUse} + bytesFree ${c.bytesFree} is not bytesMapped ${c.bytesMapped}`,
        );
      if (c.liveBlocks < this.live.length)
        this.fail(`stats(): ${c.liveBlocks} live blocks, but this worker alone holds ${this.live.length}`);
    } else if (r < 0.7) {
      const at = this.begin(LoggedOp.validate);
      this.heap.validate();
      this.log.settle(at, 0);
    } else if (r < 0.95) {
      const at = this.begin(LoggedOp.printStats);
      let text = '';
      this.heap.printStats((t) => (text += t));
      this.log.settle(at, 0);
      if (!text.includes('MeMS SYSTEM STATS'))
        this.fail(`printStats wrote ${JSON.stringify(text.slice(0, 80))}`);
    } else {
      const at = this.begin(LoggedOp.trim);
      this.log.settle(at, this.heap.trim());
    }
  }

  /**
   * Calls `action`, which must throw a MemsError with exactly `code` and `message`.
   * @throws ThreadCheckFailed when it does not throw, or throws something else.
   */
  private refused(
    code: LoggedOpCode,
    call: (typeof MISUSE_CALLS)[number],
    args: [number, number?],
    expected: { code: string; message: string },
    action: () => unknown,
  ): void {
    const at = this.begin(code, MISUSE_CALLS.indexOf(call), args[0], args[1] ?? 0);
    const written = `${call}(${args.map(String).join(', ')})`;
    try {
      action();
    } catch (error) {
      if (!isMemsError(error)) throw error;
      if (error.code !== expected.code || error.message !== expected.message) {
        this.log.settle(at, 2);
        this.fail(
          `${written} was refused with ${error.code} "${error.message}"; a one-thread heap says ${expected.code} "${expected.message}"`,
        );
      }
      this.log.settle(at, 1);
      return;
    }
    this.log.settle(at, 0);
    this.fail(`${written} was not refused; a one-thread heap says ${expected.code} "${expected.message}"`);
  }

  /** The refusal of a call on the private createMems heap (for calls no shared state decides). */
  private replayRefusal(action: (m: Mems) => unknown): { code: string; message: string } {
    try {
      action(this.replay);
    } catch (error) {
      if (isMemsError(error)) return { code: error.code, message: error.message };
      throw error;
    }
    throw new Error('the fuzzer chose a misuse that createMems accepts');
  }

  /** A misuse while the other workers run: only those whose refusal no other thread can change. */
  private misuse(): void {
    const kind = this.int(8);
    const block = this.live[this.int(this.live.length)]!;
    const heap = this.heap;
    if (kind <= 2 && block.size >= 2) {
      // An interior address of a block this worker holds: no other thread can free it.
      const x = block.address + 1 + this.int(block.size - 1);
      const call = (['free', 'realloc', 'usableSize'] as const)[kind]!;
      const n = 1 + this.int(100);
      const args = call === 'realloc' ? `${x}, ${n}` : `${x}`;
      const expected = { code: 'EFAULT', message: interiorAddressMessage(call, args, x, block.address) };
      this.refused(LoggedOp.misuse, call, call === 'realloc' ? [x, n] : [x], expected, () =>
        call === 'free' ? heap.free(x) : call === 'realloc' ? heap.realloc(x, n) : heap.usableSize(x),
      );
    } else if (kind <= 4) {
      // An address no node will ever hold: past every mapping, or below the start.
      const start = this.setup.options.startAddress;
      const x = kind === 3 || start === 0 ? NEVER_MAPPED + this.int(2 ** 20) : this.int(start);
      const call = (['free', 'get', 'usableSize', 'realloc'] as const)[this.int(4)]!;
      const n = 1 + this.int(100);
      const run = (m: FuzzedHeap | Mems) =>
        call === 'free'
          ? m.free(x)
          : call === 'get'
            ? m.get(x)
            : call === 'usableSize'
              ? m.usableSize(x)
              : m.realloc(x, n);
      this.refused(LoggedOp.misuse, call, call === 'realloc' ? [x, n] : [x], this.replayRefusal(run), () =>
        run(heap),
      );
    } else if (kind === 5) {
      const size = BAD_SIZES[this.int(BAD_SIZES.length)]!;
      const run = (m: FuzzedHeap | Mems) => m.realloc(block.address, size);
      // The size is checked before the address, so the private heap words it the same.
      this.refused(LoggedOp.misuse, 'realloc', [block.address, size], this.replayRefusal(run), () =>
        run(heap),
      );
    } else if (kind === 6) {
      const size = BAD_SIZES[this.int(BAD_SIZES.length)]!;
      const run = (m: FuzzedHeap | Mems) => m.malloc(size);
      this.refused(LoggedOp.misuse, 'malloc', [size], this.replayRefusal(run), () => run(heap));
    } else {
      const count = this.random() < 0.5 ? BAD_SIZES[this.int(BAD_SIZES.length)]! : 1 + this.int(4);
      const each = count >= 1 && Number.isSafeInteger(count) ? BAD_SIZES[this.int(BAD_SIZES.length)]! : 8;
      const run = (m: FuzzedHeap | Mems) => m.calloc(count, each);
      this.refused(LoggedOp.misuse, 'calloc', [count, each], this.replayRefusal(run), () => run(heap));
    }
    this.counts.refused++;
    // A refused call changes nothing: the block it named (and this worker's others) are intact.
    this.verify(block, block.size, 'after a refused call');
    const usable = this.usable(block.address, block.size, 'after a refused call');
    if (usable !== block.size)
      this.fail(`after a refused call usableSize(${block.address}) is ${usable}, it was ${block.size}`);
  }

  /**
   * This worker's turn, alone on the heap: second frees (and realloc, usableSize, get) of
   * addresses it freed that no worker holds now, each refused with the message the heap's
   * current state gives, and leaving the heap's snapshot exactly as it was.
   */
  private aloneOnTheHeap(): void {
    if (this.freed.length === 0 || this.random() < 0.3) return;
    const held = this.everyBlock();
    const before = this.heap.stats();
    const beforeText = JSON.stringify(before);
    for (let tries = 0; tries < 3; tries++) {
      const x = this.freed[this.int(this.freed.length)]!;
      if (held.some((b) => b.address <= x && x < b.address + b.size)) continue;
      const call = (['free', 'free', 'realloc', 'usableSize', 'get'] as const)[this.int(5)]!;
      const n = 1 + this.int(100);
      const args = call === 'realloc' ? `${x}, ${n}` : `${x}`;
      const message = notABlockMessage(call, args, x, before, call === 'get');
      if (message === null)
        this.fail(`the heap has a live block at ${x} (its snapshot says so), but no worker holds one there`);
      const heap = this.heap;
      this.refused(
        LoggedOp.quietMisuse,
        call,
        call === 'realloc' ? [x, n] : [x],
        { code: 'EFAULT', message },
        () =>
          call === 'free'
            ? heap.free(x)
            : call === 'realloc'
              ? heap.realloc(x, n)
              : call === 'usableSize'
                ? heap.usableSize(x)
                : heap.get(x),
      );
      this.counts.refusedAlone++;
      const after = this.heap.stats();
      if (JSON.stringify(after) !== beforeText)
        this.fail(
          `the refused ${call}(${args}) changed the heap: counters before ${JSON.stringify(before.counters)}, after ${JSON.stringify(after.counters)}`,
        );
    }
  }

  /** The end: frees every block this worker holds, then every block still handed to it. */
  private freeEverything(): void {
    while (this.live.length > 0) this.free(this.live.length - 1);
    for (let from = 0; from < this.setup.workers; from++) {
      if (from === this.index) continue;
      for (
        let block = this.rings.receive(this.index, from);
        block !== null;
        block = this.rings.receive(this.index, from)
      ) {
        this.log.settle(this.begin(LoggedOp.receive, block.address, block.size, block.id), from);
        this.counts.received++;
        this.verify(block, block.size, `a block received from worker ${from} at the end`);
        this.adopt(block);
        this.free(this.live.length - 1);
      }
    }
  }
}
