// The slabs' constants (tables/slab-table.ts), in a module of their own because the build
// inlines imported literal constants into the hot code (module-local ones stay variables that
// V8 reloads on every access), as memory/segment-layout.ts does for the segment records.

/** Bytes of one page of a slab: the page map's unit (a slab is 1 to SLAB_MAX_PAGES of them). */
export const SLAB_BYTES = 4096;
/** Bitmap words per slab: one bit per block of the smallest class (16 bytes: 256 blocks). */
export const SLAB_WORDS = 8;
/** The largest block size slabs can serve (the `maxBlockSize` setting's upper bound). */
export const SLAB_MAX_BLOCK = 8192;
/** The most pages of SLAB_BYTES one slab spans (a class of 8 KiB: 8 blocks in 64 KiB). */
export const SLAB_MAX_PAGES = 16;
