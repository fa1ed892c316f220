import type { SharedArena } from '@mems/os';
import type { TableMemory } from './table-memory.js';

/**
 * A {@link TableMemory} whose regions are the slots of a {@link SharedArena}: one growable
 * `SharedArrayBuffer` that every thread holds, so tables built over it in one thread can be
 * re-opened over the same bytes in another. Region ids are slot numbers, handed out in
 * creation order; a memory opened with `attach: true` hands out the same numbers in the same
 * order and writes nothing, so a thread that builds the same tables over it binds to the
 * tables another thread made. No lock of its own: the heap's lock covers every call.
 */
export class SharedTableMemory implements TableMemory {
  private nextRegion = 0;

  /**
   * @param arena the arena (this thread's handle on it).
   * @param attach true to bind to regions that exist (another thread made the tables).
   */
  constructor(
    readonly arena: SharedArena,
    private readonly attach: boolean,
  ) {}

  allocate(byteLength: number, fill = 0): number {
    const region = this.nextRegion++;
    if (region >= this.arena.slots)
      throw new RangeError(`shared table memory: more than ${this.arena.slots} regions`);
    if (!this.attach) {
      this.arena.resize(region, byteLength);
      if (fill !== 0) this.arena.int32(region).fill(fill);
    }
    return region;
  }

  resize(region: number, byteLength: number): void {
    this.arena.resize(region, byteLength);
  }

  buffer(): ArrayBufferLike {
    return this.arena.data;
  }

  byteOffset(region: number): number {
    return this.arena.region(region).byteOffset;
  }

  byteLength(region: number): number {
    return this.arena.region(region).byteLength;
  }

  get generation(): number {
    return this.arena.generation;
  }

  get generationOrdered(): number {
    return this.arena.generationOrdered;
  }

  /** How many regions the tables took (to check an attaching thread built the same tables). */
  get regionCount(): number {
    return this.nextRegion;
  }
}
