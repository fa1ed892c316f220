/** A ready-made program for the page. */
export interface Scenario {
  /** Stable id, used in the URL. */
  readonly id: string;
  /** The label of the scenario `<select>`. */
  readonly label: string;
  /** What the student should watch for. */
  readonly description: string;
  /** The commands, one line each, in the REPL's language. */
  readonly lines: readonly string[];
  /** Whether the page opens the policy comparison with it. */
  readonly compare?: boolean;
}

const repeat = (line: string, times: number): string[] => Array.from({ length: times }, () => line);

/** The id of the scenario the page opens with: the seed's example program. */
export const DEFAULT_SCENARIO_ID = 'seed';

/** The id of the scenario that starts empty, for typed commands. */
export const EMPTY_SCENARIO_ID = 'empty';

/**
 * The built-in scenarios. The addresses in their commands are those of the seed's defaults
 * (4096-byte pages, first address 1000, first fit); with other options a command may name an
 * address that is not a block, and its step then shows MeMS's error.
 */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: DEFAULT_SCENARIO_ID,
    label: 'Seed example',
    description:
      "The seed's example program: ten mems_malloc(1000) (three nodes), mems_get of element 1 and element 0 of the first array, free the fourth array, and malloc again: first fit puts it back into the hole.",
    lines: [...repeat('malloc 1000', 10), 'get 1004', 'get 1000', 'free 4000', 'malloc 1000'],
  },
  {
    id: EMPTY_SCENARIO_ID,
    label: 'Empty heap',
    description: 'A fresh heap with the options above. Type commands in the box: each one is a step.',
    lines: [],
  },
  {
    id: 'merge-cases',
    label: 'Free: the four merge cases',
    description:
      'Eight blocks of 500 bytes, then frees that show each case of coalescing: no neighbouring hole, merge with the hole before, merge with the hole after, merge with both.',
    lines: [
      ...repeat('malloc 500', 8),
      'free 1500',
      'free 2000',
      'free 3500',
      'free 3000',
      'free 2500',
      'free 4500',
    ],
  },
  {
    id: 'exact-fit',
    label: 'Exact fit',
    description:
      'A request of exactly the size of a hole takes it whole: no split, no new hole (the 1096-byte tail of the page, then the 1000-byte hole left by a free).',
    lines: ['malloc 1000', 'malloc 1000', 'malloc 1000', 'malloc 1096', 'free 2000', 'malloc 1000'],
  },
  {
    id: 'larger-than-page',
    label: 'Block larger than a page',
    description:
      'A 10000-byte request maps a node of ceil(10000 / 4096) = 3 pages; later requests fill its tail hole, and one that does not fit maps another node.',
    lines: ['malloc 10000', 'malloc 100', 'malloc 4096', 'free 1000', 'malloc 5000'],
  },
  {
    id: 'first-vs-best',
    label: 'First fit against best fit',
    description:
      'The same requests under each policy (see the comparison below): first fit splits the first hole big enough and ends up mapping a new node; best fit takes the exact-size holes and does not.',
    lines: [
      'malloc 1000',
      'malloc 100',
      'malloc 300',
      'malloc 100',
      'free 1000',
      'free 2100',
      'malloc 300',
      'malloc 1000',
      'malloc 2596',
    ],
    compare: true,
  },
  {
    id: 'fragmentation',
    label: 'Fragmentation forces a new node',
    description:
      'Free every other 500-byte block: 2096 bytes are free, but in holes of 500 and 96 bytes, so a 1000-byte request maps a new node.',
    lines: [...repeat('malloc 500', 8), 'free 1000', 'free 2000', 'free 3000', 'free 4000', 'malloc 1000'],
  },
];

/**
 * Finds a scenario by its id.
 * @param id the id from the URL or the `<select>`.
 * @returns the scenario, or `undefined`.
 */
export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
