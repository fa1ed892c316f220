/**
 * `@mems/reference-model`: the test support every MeMS test that needs it shares (private, never
 * published, a dev dependency only). It holds the obviously-correct reference model of one heap
 * ({@link ModelHeap}) and of the process-wide API ({@link ModelMems}), the model of the mock page
 * provider ({@link ModelProvider}), how error messages mention values, and the one list of bad
 * argument values the bad-input matrix and the differential fuzzer both use.
 */
export * from './bad-values.js';
export * from './chains.js';
export * from './describe.js';
export * from './model-heap.js';
export * from './model-mems.js';
export * from './model-provider.js';
