// @daneren2005/shared-memory-objects ships TypeScript sources that do not type-check under this
// package's settings (strict, no Vite types), so it is reached through this JavaScript module,
// whose types are in smo-loader.d.ts; the build bundles it (tsup.config.ts).
//
// Its lock reads the browser global `self` whenever it finds the lock taken (to choose between
// Atomics.wait in a worker and spinning on a main thread); Node has no `self`, so a contended
// lock throws. Node users of the library need this shim; with it, the lock spins in Node.
globalThis.self ??= globalThis;

export { MemoryHeap } from '@daneren2005/shared-memory-objects';
