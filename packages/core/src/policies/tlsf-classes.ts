// TLSF's size classes, in a module of its own: the build inlines imported literal constants
// into the hot code (module-local ones stay variables that V8 reloads on every access). Keep it
// constants only: a function and an import beside them stopped the inlining.

/** log2 of the number of second-level lists per first-level class. */
export const SL_BITS = 4;
/** Second-level lists per first-level class (2^SL_BITS). */
export const SL_COUNT = 16;
/** Sizes below this (SL_COUNT) share first-level class 0, split linearly into SL_COUNT lists. */
export const SMALL_LIMIT = 16;
/** First-level classes (32 - SL_BITS + 1): class 0 for small sizes, then one per power of two up to 2^31. */
export const FL_COUNT = 29;
