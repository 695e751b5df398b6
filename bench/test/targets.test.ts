import { targetsMet, TARGETS } from '../src/cold-start';

describe('cold-start targets', () => {
  const base = { projectBytes: 200_000, naiveBytes: 1_000_000, projectBeyondEmptyMs: 40, naiveBeyondEmptyMs: 150, initVsNaive: 0.3, sdkClientsBeyondEmptyMs: 30 };

  it('meets all three when half the naive size and init and under 60 ms beyond empty', () => {
    expect(targetsMet(base)).toEqual({ halfNaiveSize: true, halfNaiveInit: true, under60msBeyondEmpty: true, sdkClientsAloneOver60ms: false });
  });

  it('misses each on its own', () => {
    expect(targetsMet({ ...base, projectBytes: 600_000 }).halfNaiveSize).toBe(false);
    expect(targetsMet({ ...base, initVsNaive: 0.6 }).halfNaiveInit).toBe(false);
    expect(targetsMet({ ...base, projectBeyondEmptyMs: TARGETS.maxInitBeyondEmptyMs }).under60msBeyondEmpty).toBe(false);
  });

  it('a function with no library to trim is at the floor for the ratios, not for the 60 ms', () => {
    const trivial = { projectBytes: 1400, naiveBytes: 2400, projectBeyondEmptyMs: 0.4, naiveBeyondEmptyMs: 0.2, initVsNaive: 1.7, sdkClientsBeyondEmptyMs: null };
    expect(targetsMet(trivial)).toEqual({ halfNaiveSize: true, halfNaiveInit: true, under60msBeyondEmpty: true, sdkClientsAloneOver60ms: false });
  });
});

describe('a function whose AWS SDK clients alone cost more than 60 ms', () => {
  const base = { projectBytes: 200_000, naiveBytes: 1_000_000, naiveBeyondEmptyMs: 250, initVsNaive: 0.4 };

  it('misses the 60 ms, and says the SDK clients are why', () => {
    const t = targetsMet({ ...base, projectBeyondEmptyMs: 95, sdkClientsBeyondEmptyMs: 70 });
    expect(t.under60msBeyondEmpty).toBe(false);
    expect(t.sdkClientsAloneOver60ms).toBe(true);
  });

  it('does not blame the SDK when its clients cost less than 60 ms', () => {
    const t = targetsMet({ ...base, projectBeyondEmptyMs: 95, sdkClientsBeyondEmptyMs: 45 });
    expect(t.under60msBeyondEmpty).toBe(false);
    expect(t.sdkClientsAloneOver60ms).toBe(false);
  });
});
