/**
 * The key of a {@link Mems}'s dispose method, so that `using mems = createMems()` finishes the
 * heap at the end of the block. Node 20 defines `Symbol.dispose` (as `Symbol(nodejs.dispose)`);
 * where the runtime has none, the key is `Symbol.for('Symbol.dispose')`, the symbol that
 * TypeScript's and esbuild's downlevel `using` helpers fall back to. No polyfill is installed.
 * (Typed as `Symbol.dispose`, which `lib: esnext.disposable` declares.)
 */
export const DISPOSE: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ??
  (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);
