import type { HoleRecords, PlacementPolicy, PlacementPolicyFactory } from '../index.js';

/**
 * A placement policy written as a user would write one, against the public interface only:
 * worst fit (the largest hole; the lowest address among equal sizes), its index a plain `Set`
 * of hole ids scanned on every call. It records every protocol call it receives, so a test can
 * check the order the heap promises (a resized hole already shows its new values).
 */
export interface WorstFit extends PlacementPolicy {
  /** Every call the heap made, e.g. `add 0 1000 4096`, `resized 0 1000 4096 → 2000 3096`. */
  readonly calls: string[];
}

/**
 * @returns a factory whose policies are {@link WorstFit}; `created` collects them.
 */
export function worstFitFactory(): PlacementPolicyFactory & { readonly created: WorstFit[] } {
  const created: WorstFit[] = [];
  return {
    name: 'worst-fit',
    created,
    create(holes: HoleRecords): PlacementPolicy {
      const ids = new Set<number>();
      const calls: string[] = [];
      const policy: WorstFit = {
        name: 'worst-fit',
        calls,
        metadataBytes: 0,
        addHole(id) {
          calls.push(`add ${id} ${holes.start(id)} ${holes.size(id)}`);
          ids.add(id);
        },
        removeHole(id) {
          calls.push(`remove ${id} ${holes.start(id)} ${holes.size(id)}`);
          ids.delete(id);
        },
        holeResized(id, oldStart, oldSize) {
          calls.push(`resized ${id} ${oldStart} ${oldSize} → ${holes.start(id)} ${holes.size(id)}`);
        },
        findHole(size) {
          let best = -1;
          for (const id of ids) {
            if (holes.size(id) < size) continue;
            if (
              best === -1 ||
              holes.size(id) > holes.size(best) ||
              (holes.size(id) === holes.size(best) && holes.start(id) < holes.start(best))
            )
              best = id;
          }
          return best;
        },
        allocated() {},
        clear() {
          ids.clear();
        },
        check(expected) {
          if (expected.size !== ids.size)
            return `worst-fit: ${ids.size} holes indexed, the heap has ${expected.size}`;
          for (const id of expected) if (!ids.has(id)) return `worst-fit: hole ${id} is not indexed`;
          return null;
        },
      };
      created.push(policy);
      return policy;
    },
  };
}
