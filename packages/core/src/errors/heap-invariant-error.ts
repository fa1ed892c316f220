/**
 * Thrown by `Heap.validate()` when a heap's structures disagree with each other: a bug in
 * MeMS or in a custom placement policy, never a user error (those are MemsError).
 */
export class HeapInvariantError extends Error {
  /** @param message the first broken invariant, described. */
  constructor(message: string) {
    super(message);
    this.name = 'HeapInvariantError';
  }
}
