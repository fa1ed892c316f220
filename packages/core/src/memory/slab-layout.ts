// The slabs' constants (tables/slab-table.ts), in a module of their own because the build
// inlines imported literal constants into the hot code (module-local ones stay variables that
// V8 reloads on every access), as memory/segment-layout.ts does for the segment records.

/** Bytes of one slab: the page map's unit. */
export const SLAB_BYTES = 4096;
/** Bitmap words per slab: one bit per block of the smallest class (16 bytes: 256 blocks). */
export const SLAB_WORDS = 8;
