/** The id a policy returns when it has no hole, and the empty value of a link. */
export const NO_HOLE = -1;

/** One of the two link words a policy may keep in each hole's record: 0 or 1. */
export type PolicyLink = 0 | 1;

/**
 * What a placement policy sees of the heap: holes by id, with their start and size, read
 * only. The heap writes starts and sizes; a policy never does.
 *
 * Each hole also has two 32-bit link words that belong to the policy (`link`/`setLink`), so
 * that an index can live in the records themselves, as TLSF keeps its free-list links in the
 * block header: the built-in policies keep tree or list links there. Their value is undefined
 * when a hole is announced ({@link PlacementPolicy.addHole}) and is not kept once the hole is
 * removed. A policy that keeps its index elsewhere (a `Map`, its own arrays) ignores them.
 */
export interface HoleRecords {
  /** @returns the first virtual address of hole `id`. */
  start(id: number): number;
  /** @returns the size in bytes of hole `id` (below 2^32). */
  size(id: number): number;
  /** @returns the policy's link word `which` of hole `id`. */
  link(id: number, which: PolicyLink): number;
  /** Sets the policy's link word `which` of hole `id` (a 32-bit signed integer). */
  setLink(id: number, which: PolicyLink, value: number): void;
  /**
   * The same link words as one array, for a policy whose link updates are on the hot path:
   * link `which` of hole `id` is `linkWords[LINK_STRIDE * id + which]` (`LINK_STRIDE` = 8,
   * exported by `@mems/core`). The array is replaced when the heap's tables grow, which never
   * happens during a policy call: read it at the start of each call and do not keep it.
   */
  readonly linkWords: Int32Array;
}
