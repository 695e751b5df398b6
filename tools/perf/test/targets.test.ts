import { targetsMet, TARGETS } from '../src/cold-start';

describe('cold-start targets', () => {
  const base = { projectBytes: 200_000, naiveBytes: 1_000_000, projectBeyondEmptyMs: 40, naiveBeyondEmptyMs: 150, initVsNaive: 0.3, sdkClientsBeyondEmptyMs: 30, sdkClientsVsNaive: 0.2 };

  it('meets all three when half the naive size and init and under 60 ms beyond empty', () => {
    expect(targetsMet(base)).toEqual({ halfNaiveSize: true, halfNaiveInit: true, under60msBeyondEmpty: true, sdkBound: { init: false, beyondEmpty: false } });
  });

  it('misses each on its own', () => {
    expect(targetsMet({ ...base, projectBytes: 600_000 }).halfNaiveSize).toBe(false);
    expect(targetsMet({ ...base, initVsNaive: 0.6 }).halfNaiveInit).toBe(false);
    expect(targetsMet({ ...base, projectBeyondEmptyMs: TARGETS.maxInitBeyondEmptyMs }).under60msBeyondEmpty).toBe(false);
  });

  it('a function with no library to trim is at the floor for the ratios, not for the 60 ms', () => {
    const trivial = { projectBytes: 1400, naiveBytes: 2400, projectBeyondEmptyMs: 0.4, naiveBeyondEmptyMs: 0.2, initVsNaive: 1.7, sdkClientsBeyondEmptyMs: null, sdkClientsVsNaive: null };
    expect(targetsMet(trivial)).toEqual({ halfNaiveSize: true, halfNaiveInit: true, under60msBeyondEmpty: true, sdkBound: { init: false, beyondEmpty: false } });
  });
});

describe('a function whose AWS SDK clients alone already miss a target', () => {
  const base = { projectBytes: 200_000, naiveBytes: 1_000_000, naiveBeyondEmptyMs: 250, initVsNaive: 0.6, projectBeyondEmptyMs: 95 };

  it('is SDK-bound when the clients alone are over half the naive init and 60 ms beyond empty', () => {
    const t = targetsMet({ ...base, sdkClientsBeyondEmptyMs: 70, sdkClientsVsNaive: 0.55 });
    expect(t).toMatchObject({ halfNaiveInit: false, under60msBeyondEmpty: false, sdkBound: { init: true, beyondEmpty: true } });
  });

  it('does not blame the SDK for what the clients alone meet', () => {
    const t = targetsMet({ ...base, sdkClientsBeyondEmptyMs: 45, sdkClientsVsNaive: 0.3 });
    expect(t.sdkBound).toEqual({ init: false, beyondEmpty: false });
  });

  it('blames nothing that is met', () => {
    const t = targetsMet({ ...base, initVsNaive: 0.45, projectBeyondEmptyMs: 50, sdkClientsBeyondEmptyMs: 70, sdkClientsVsNaive: 0.55 });
    expect(t.sdkBound).toEqual({ init: false, beyondEmpty: false });
  });
});
