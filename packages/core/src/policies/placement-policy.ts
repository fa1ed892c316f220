import type { TableMemory } from '../memory/table-memory.js';
import type { HoleRecords } from './hole-records.js';

/**
 * A placement policy: the index over holes that decides which hole an allocation takes.
 * The heap owns the holes and tells the policy about every change; the policy keeps its index
 * and answers {@link PlacementPolicy.findHole}. To add a policy, write a
 * {@link PlacementPolicyFactory} and pass it as the heap's `policy` option (the package
 * README shows one).
 *
 * The protocol, in the order the heap follows it:
 * - `addHole(id)`: a hole exists; `holes.start(id)` and `holes.size(id)` are its values.
 * - `removeHole(id)`: the hole is going away (taken whole, merged into a neighbour, its node
 *   unmapped); the records still show the start and size the policy last saw.
 * - `holeResized(id, oldStart, oldSize)`: the hole grew or shrank in place, and the records
 *   already show its new start and size; the old ones are passed so that an index ordered by
 *   start or size can find the entry under its old key. A resized hole never passes another
 *   hole in address order.
 * - `findHole(size)` then `allocated(start, size)` for each allocation.
 *
 * A policy sees holes only through {@link HoleRecords}: id, start and size, read only, plus two
 * link words per hole that are the policy's own.
 */
export interface PlacementPolicy {
  /** The policy's name, shown in snapshots and stats. */
  readonly name: string;
  /**
   * A new hole exists.
   * @param id the hole's id.
   */
  addHole(id: number): void;
  /**
   * A hole is going away; the records still show its start and size.
   * @param id the hole's id.
   */
  removeHole(id: number): void;
  /**
   * A hole changed size in place (see the protocol above).
   * @param id the hole's id, whose record already holds its new start and size.
   * @param oldStart its start before the change.
   * @param oldSize its size before the change.
   */
  holeResized(id: number, oldStart: number, oldSize: number): void;
  /**
   * Chooses a hole for an allocation, changing nothing (the heap may ask and then not take it).
   * @param size the number of bytes needed (already rounded to the heap's alignment).
   * @returns the id of a hole of at least `size` bytes, or -1 ({@link NO_HOLE}) when the
   *   policy finds none (the heap then maps a new node).
   */
  findHole(size: number): number;
  /**
   * Told after each allocation (next fit keeps its roving pointer with it).
   * @param start the new block's virtual address.
   * @param size its size.
   */
  allocated(start: number, size: number): void;
  /** Forgets every hole (the heap was destroyed). */
  clear(): void;
  /**
   * Checks the index against the heap's holes (used by `validate`).
   * @param holes the ids of every hole of the heap.
   * @returns a description of the first problem, or null.
   */
  check(holes: ReadonlySet<number>): string | null;
  /** Bytes of metadata the index holds outside the hole records. */
  readonly metadataBytes: number;
}

/** Builds a policy for one heap; passed as the `policy` heap option. */
export interface PlacementPolicyFactory {
  /** The name the policy reports. */
  readonly name: string;
  /**
   * @param holes the heap's holes, read only (see {@link HoleRecords}).
   * @param memory where to allocate typed arrays, so that the index can live where the
   *   heap's other tables live (a policy may ignore it).
   * @returns a fresh, empty policy.
   */
  create(holes: HoleRecords, memory: TableMemory): PlacementPolicy;
}
