// The link words the built-in policies keep in each hole's record (HoleRecords.link), named.
// In a module of their own: the build inlines imported literal constants into the hot code.

/** Best fit's treap: link word 0 is the left child. */
export const LEFT = 0;
/** Best fit's treap: link word 1 is the right child. */
export const RIGHT = 1;
/** TLSF's size-class lists: link word 0 is the next hole of the list. */
export const NEXT_IN_LIST = 0;
/** TLSF's size-class lists: link word 1 is the previous hole of the list. */
export const PREV_IN_LIST = 1;
