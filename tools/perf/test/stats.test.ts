import { median, quantile, ratio, rotation, summarize } from '../src/stats';

describe('bench statistics', () => {
  it('interpolates quantiles between ranks', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(quantile([1], 0.99)).toBe(1);
    expect(Number.isNaN(median([]))).toBe(true);
    expect(() => quantile([1], 2)).toThrow(RangeError);
  });

  it('summarizes without changing the input order', () => {
    const values = [5, 1, 4];
    expect(summarize(values)).toEqual({ n: 3, median: 4, p25: 2.5, p75: 4.5, min: 1, max: 5 });
    expect(values).toEqual([5, 1, 4]);
  });

  it('gives ratios, or null when they mean nothing', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(Number.NaN, 1)).toBeNull();
  });

  it('rotates the variants so each runs first equally often', () => {
    const firsts = [0, 1, 2, 3, 4, 5].map((round) => rotation(['a', 'b', 'c'], round)[0]);
    expect(firsts).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(rotation(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'c', 'a']);
  });
});
