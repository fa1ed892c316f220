/**
 * The calls that `Heap`'s private `place()` serves, as numbers, so that `allocate` passes no name
 * it rarely needs. This module holds constants only, so that the build (esbuild, through tsup)
 * inlines them at every use instead of reading module bindings on the allocation path.
 */

/** Which call `place()` serves: {@link ALLOCATE}, {@link CALLOC} or {@link REALLOC}. */
export type PlaceCaller = 0 | 1 | 2;
/** `allocate`: takes no cached block in place (it tried the cache inline) and writes nothing. */
export const ALLOCATE = 0;
/** `calloc`: writes zeros into the block. */
export const CALLOC = 1;
/** `realloc` when it moves the block: copies the old bytes into it. */
export const REALLOC = 2;
