/**
 * When, and what, `npm run chaos:kill` kills: moments spread at random over the burst (as
 * fractions of the orders placed), every target at least once, the rest drawn at random.
 * Pure: the caller passes the random source (seeded, so that a run can be repeated).
 */
export interface PlannedKill {
  /** Kill once this fraction of the burst's orders has been placed (0 < at < 1). */
  at: number;
  target: string;
}

export interface KillPlanOptions {
  targets: readonly string[];
  kills: number;
  random: () => number;
  /** Moments fall within [from, to] of the burst (default 0.05-0.9: kills land while orders are in flight). */
  from?: number;
  to?: number;
}

export function planKills({ targets, kills, random, from = 0.05, to = 0.9 }: KillPlanOptions): PlannedKill[] {
  if (targets.length === 0 || kills <= 0) return [];
  const chosen = [...targets];
  while (chosen.length < kills) chosen.push(targets[Math.floor(random() * targets.length)]!);
  // Fisher-Yates: which target goes first is random too.
  for (let i = chosen.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [chosen[i], chosen[j]] = [chosen[j]!, chosen[i]!];
  }
  const picked = chosen.slice(0, kills);
  const moments = picked.map(() => from + random() * (to - from)).sort((a, b) => a - b);
  return picked.map((target, index) => ({ at: moments[index]!, target }));
}

/** A small seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
