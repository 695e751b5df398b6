import { DEFAULT_RESTART_POLICY, RestartTracker } from '../src/process/restart-policy';

/** The supervision policy of `npm start`: back-off between restarts, and when a crash loop stops the stack. */
const policy = { maxDeaths: 4, windowMs: 60_000, minDelayMs: 250, maxDelayMs: 1_000 };

it('restarts after a back-off that doubles with each recent death, up to its ceiling', () => {
  const tracker = new RestartTracker({ ...policy, maxDeaths: 10 });
  const delays = [0, 1_000, 2_000, 3_000, 4_000].map((at) => tracker.recordDeath(at));
  expect(delays).toEqual([
    { action: 'restart', delayMs: 250, deathsInWindow: 1 },
    { action: 'restart', delayMs: 500, deathsInWindow: 2 },
    { action: 'restart', delayMs: 1_000, deathsInWindow: 3 },
    { action: 'restart', delayMs: 1_000, deathsInWindow: 4 },
    { action: 'restart', delayMs: 1_000, deathsInWindow: 5 },
  ]);
});

it('gives up when the component dies maxDeaths times within the window', () => {
  const tracker = new RestartTracker(policy);
  expect([0, 10_000, 20_000].map((at) => tracker.recordDeath(at).action)).toEqual(['restart', 'restart', 'restart']);
  expect(tracker.recordDeath(30_000)).toEqual({ action: 'give-up', deathsInWindow: 4, windowMs: 60_000 });
});

it('forgets deaths older than the window: occasional crashes are restarted for ever, at the first back-off', () => {
  const tracker = new RestartTracker(policy);
  for (let minute = 0; minute < 20; minute += 1) {
    expect(tracker.recordDeath(minute * 60_000)).toEqual({ action: 'restart', delayMs: 250, deathsInWindow: 1 });
  }
});

it('counts only the deaths inside the sliding window', () => {
  const tracker = new RestartTracker(policy);
  tracker.recordDeath(0);
  tracker.recordDeath(50_000);
  tracker.recordDeath(55_000);
  // At 70 s the death at 0 has left the window: three in it, not four.
  expect(tracker.recordDeath(70_000)).toEqual({ action: 'restart', delayMs: 1_000, deathsInWindow: 3 });
  expect(tracker.recordDeath(75_000).action).toBe('give-up');
});

it('by default tolerates four deaths a minute and waits at most 8 s', () => {
  expect(DEFAULT_RESTART_POLICY).toEqual({ maxDeaths: 5, windowMs: 60_000, minDelayMs: 250, maxDelayMs: 8_000 });
  const tracker = new RestartTracker();
  const decisions = [0, 1, 2, 3, 4].map((at) => tracker.recordDeath(at));
  expect(decisions.map((d) => d.action)).toEqual(['restart', 'restart', 'restart', 'restart', 'give-up']);
});
