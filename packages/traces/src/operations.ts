/** `a <id> <size>`: allocate `size` bytes and name the block `id`. */
export const OP_ALLOCATE = 0;
/** `f <id>`: free the block `id`. */
export const OP_FREE = 1;
/** `r <id> <size>`: reallocate the block `id` to `size` bytes. */
export const OP_REALLOCATE = 2;

/** One of {@link OP_ALLOCATE}, {@link OP_FREE} and {@link OP_REALLOCATE}. */
export type TraceOperation = typeof OP_ALLOCATE | typeof OP_FREE | typeof OP_REALLOCATE;
