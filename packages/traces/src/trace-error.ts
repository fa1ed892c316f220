/** A line of a trace that cannot be parsed or replayed: its 1-based number and why. */
export class TraceError extends Error {
  /**
   * @param line the 1-based line number.
   * @param reason what is wrong with it.
   */
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'TraceError';
  }
}
