import { planKills, seededRandom } from '../src/chaos/kill-plan';

/** npm run chaos:kill's plan: every component killed at least once, at moments spread over the burst. */
const targets = ['DynamoDB Local', 'fauxqs', 'order (serverless offline)', 'inventory (serverless offline)'];

it('kills every target at least once and makes up the count at random', () => {
  const plan = planKills({ targets, kills: 10, random: seededRandom(1) });
  expect(plan).toHaveLength(10);
  for (const target of targets) expect(plan.some((kill) => kill.target === target)).toBe(true);
});

it('spreads the moments over the burst, in order, within the bounds', () => {
  const plan = planKills({ targets, kills: 12, random: seededRandom(7), from: 0.1, to: 0.8 });
  const moments = plan.map((kill) => kill.at);
  expect(moments).toEqual([...moments].sort((a, b) => a - b));
  expect(Math.min(...moments)).toBeGreaterThanOrEqual(0.1);
  expect(Math.max(...moments)).toBeLessThanOrEqual(0.8);
});

it('is the same plan for the same seed, and a different one for another', () => {
  expect(planKills({ targets, kills: 10, random: seededRandom(42) })).toEqual(planKills({ targets, kills: 10, random: seededRandom(42) }));
  expect(planKills({ targets, kills: 10, random: seededRandom(42) })).not.toEqual(planKills({ targets, kills: 10, random: seededRandom(43) }));
});

it('with fewer kills than targets kills distinct targets; with none, nothing', () => {
  const plan = planKills({ targets, kills: 2, random: seededRandom(3) });
  expect(new Set(plan.map((kill) => kill.target)).size).toBe(2);
  expect(planKills({ targets, kills: 0, random: seededRandom(3) })).toEqual([]);
  expect(planKills({ targets: [], kills: 5, random: seededRandom(3) })).toEqual([]);
});
