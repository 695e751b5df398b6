/**
 * Exponential backoff with full jitter, for pollers that must ride out an emulator restart:
 * quick first retries, then at most one attempt every `maxMs`.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly minMs = 100,
    private readonly maxMs = 5000,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delay before the next attempt. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** this.attempt);
    this.attempt += 1;
    return Math.max(this.minMs, Math.round(ceiling * this.random()));
  }

  get failures(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
