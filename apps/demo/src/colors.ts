import pc from 'picocolors';

/** The picocolors functions, on or off. */
export type Colors = ReturnType<typeof pc.createColors>;

/** A stream that may be a terminal. */
export interface MaybeTty {
  /** True when the stream is a terminal. */
  isTTY?: boolean;
}

/**
 * Whether to colour output written to a stream: only to a terminal, never with `NO_COLOR` or
 * `TERM=dumb`, always with `FORCE_COLOR` (picocolors alone would also colour pipes under `CI`,
 * which would put escape codes into captured output).
 * @param stream the stream the text goes to.
 * @param env the environment (default `process.env`).
 * @returns whether to colour.
 */
export function wantsColor(stream: MaybeTty, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/**
 * Colour functions for one stream (identity functions when it should not be coloured).
 * @param stream the stream the text goes to.
 * @returns picocolors' functions, on or off.
 */
export function colorsFor(stream: MaybeTty): Colors {
  return pc.createColors(wantsColor(stream));
}
