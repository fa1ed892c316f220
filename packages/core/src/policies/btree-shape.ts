// The B+-tree's shape, in a module of its own: the build inlines imported literal constants
// into the hot code (module-local ones stay variables that V8 reloads on every access).

/** Most entries a tree node holds; a node that reaches {@link SLOTS} splits in two. */
export const FANOUT = 32;
/** Entry slots per tree node (FANOUT + 1): one spare, so an insertion can land before the split. */
export const SLOTS = 33;
/** A node with fewer entries than this (FANOUT / 4) merges with a sibling when the two fit in one node. */
export const SPARSE = 8;

/** A hole's link word 0: the tree node (leaf) holding it. */
export const LEAF = 0;
/** A hole's link word 1: its entry index in that leaf. */
export const ENTRY = 1;
