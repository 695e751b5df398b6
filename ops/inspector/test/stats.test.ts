import { computeStats, durationStats, percentile } from '../src/core/stats';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const run = (status: string, ms?: number, reason?: string) => ({
  record: { status: status as never, startDate: at(0), ...(ms !== undefined && { stopDate: at(ms) }) },
  ...(reason && { reason }),
});

describe('percentile (nearest rank)', () => {
  it('picks the smallest value with at least p% at or below it', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('summarises durations', () => {
    expect(durationStats([30, 10, 20])).toEqual({ count: 3, p50: 20, p90: 30, p99: 30, max: 30, mean: 20 });
    expect(durationStats([])).toEqual({ count: 0 });
  });
});

describe('computeStats', () => {
  const stats = computeStats(
    [
      run('SUCCEEDED', 100),
      run('SUCCEEDED', 300),
      run('FAILED', 200, 'PaymentDeclined'),
      run('FAILED', 50, 'PaymentDeclined'),
      run('FAILED', 80, 'ShippingFailed'),
      run('ABORTED', 1000),
      run('RUNNING'),
    ],
    { since: at(-60_000), until: at(60_000) },
  );

  it('counts by status', () => {
    expect(stats.total).toBe(7);
    expect(stats.byStatus).toEqual({ RUNNING: 1, SUCCEEDED: 2, FAILED: 3, TIMED_OUT: 0, ABORTED: 1, PENDING_REDRIVE: 0 });
  });

  it('counts failure reasons, most frequent first, the status standing in for a missing reason', () => {
    expect(stats.failureReasons).toEqual([
      { reason: 'PaymentDeclined', count: 2 },
      { reason: 'ABORTED', count: 1 },
      { reason: 'ShippingFailed', count: 1 },
    ]);
  });

  it('computes duration percentiles over finished executions only, overall and per status', () => {
    expect(stats.durationMs).toMatchObject({ count: 6, p50: 100, p99: 1000, max: 1000 });
    expect(stats.durationByStatus.SUCCEEDED).toMatchObject({ count: 2, p50: 100, p99: 300 });
    expect(stats.durationByStatus.RUNNING).toBeUndefined();
  });
});
