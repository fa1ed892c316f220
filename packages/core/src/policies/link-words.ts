// The link words the built-in policies keep in each hole's record (HoleRecords.link), named.
// In a module of their own: the build inlines imported literal constants into the hot code.
//
// The built-in policies' one concession to V8: where they change links on the hot path (TLSF's
// list surgery, the treap's splits and merges, the B+-tree's leaf back-links) they index `HoleRecords.linkWords` directly,
// `links[LINK_STRIDE * id + which]`, instead of calling link()/setLink(). Each accessor call
// re-reads the table's view from the table object; over the few link writes of one free or
// malloc that measured about 8% of TLSF's churn at 10k blocks, because the heap's allocate and
// free are compiled as one function each and V8 stops inlining at a bytecode budget.

/**
 * Words from one hole's link words to the next hole's in {@link HoleRecords.linkWords}: link
 * `which` of hole `id` is `linkWords[LINK_STRIDE * id + which]` (segment-table.test.ts checks it
 * against the record layout).
 */
export const LINK_STRIDE = 8;
/** Best fit's treap: link word 0 is the left child. */
export const LEFT = 0;
/** Best fit's treap: link word 1 is the right child. */
export const RIGHT = 1;
/** TLSF's size-class lists: link word 0 is the next hole of the list. */
export const NEXT_IN_LIST = 0;
/** TLSF's size-class lists: link word 1 is the previous hole of the list. */
export const PREV_IN_LIST = 1;
