/**
 * A parsed allocation trace, as parallel typed arrays (one entry per operation), so that a
 * replay of millions of operations measures the allocator, not the parser.
 */
export interface Trace {
  /** Number of operations. */
  readonly length: number;
  /** Each operation: `OP_ALLOCATE`, `OP_FREE` or `OP_REALLOCATE`. */
  readonly ops: Uint8Array;
  /**
   * Each operation's block, as an index into {@link Trace.names}: blocks are numbered 0, 1, 2...
   * in the order their names first appear, and a name keeps its number for the whole trace.
   */
  readonly ids: Uint32Array;
  /** Each operation's size in bytes (0 for a free). */
  readonly sizes: Float64Array;
  /** Each operation's 1-based line number in the trace text. */
  readonly lines: Uint32Array;
  /** The block names as written in the trace, by index. */
  readonly names: readonly string[];
}
