/**
 * When a component of the running stack dies: restart it after a back-off that doubles with each
 * recent death, or give up when it keeps dying (then the stack stops with a message, rather than
 * restarting a broken component for ever). Pure: the caller passes the clock.
 */
export interface RestartPolicy {
  /** Deaths within `windowMs` (this one included) that make the stack give up. */
  maxDeaths: number;
  windowMs: number;
  /** Back-off before the first restart; doubled for each further death within the window. */
  minDelayMs: number;
  maxDelayMs: number;
}

/** Five deaths within a minute: a crash loop, not bad luck (a restart takes 1-10 s). */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxDeaths: 5, windowMs: 60_000, minDelayMs: 250, maxDelayMs: 8_000 };

export type RestartDecision =
  | { action: 'restart'; delayMs: number; deathsInWindow: number }
  | { action: 'give-up'; deathsInWindow: number; windowMs: number };

/** The deaths of one component, and what to do about the next. */
export class RestartTracker {
  private deaths: number[] = [];

  constructor(private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {}

  recordDeath(nowMs: number): RestartDecision {
    const { maxDeaths, windowMs, minDelayMs, maxDelayMs } = this.policy;
    this.deaths = [...this.deaths.filter((at) => nowMs - at < windowMs), nowMs];
    const deathsInWindow = this.deaths.length;
    if (deathsInWindow >= maxDeaths) return { action: 'give-up', deathsInWindow, windowMs };
    return { action: 'restart', delayMs: Math.min(maxDelayMs, minDelayMs * 2 ** (deathsInWindow - 1)), deathsInWindow };
  }
}
