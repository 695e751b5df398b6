import { durationOf, EXECUTION_STATUSES, type ExecutionRecord, type ExecutionStatus } from './execution';

/** Counts and latency over a window of executions: the numbers an on-call person asks for first. */
export interface DurationStats {
  /** Finished executions the percentiles are computed over. */
  count: number;
  p50?: number;
  p90?: number;
  p99?: number;
  max?: number;
  mean?: number;
}

export interface SagaStats {
  since?: string;
  until: string;
  total: number;
  byStatus: Record<ExecutionStatus, number>;
  /** Failure reasons (error names) of FAILED, TIMED_OUT and ABORTED executions, most frequent first. */
  failureReasons: Array<{ reason: string; count: number }>;
  durationMs: DurationStats;
  durationByStatus: Partial<Record<ExecutionStatus, DurationStats>>;
}

export interface StatsSample {
  record: Pick<ExecutionRecord, 'status' | 'startDate' | 'stopDate'>;
  /** Why it failed (error name); looked up only for unsuccessful executions. */
  reason?: string;
}

/** Nearest-rank percentile of ascending values: the smallest value with at least p% at or below it. */
export function percentile(sortedAscending: readonly number[], p: number): number | undefined {
  if (sortedAscending.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1];
}

export function durationStats(durations: readonly number[]): DurationStats {
  const sorted = [...durations].sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0 };
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1),
    mean: Math.round(sorted.reduce((sum, d) => sum + d, 0) / sorted.length),
  };
}

export function computeStats(samples: readonly StatsSample[], window: { since?: string; until: string }): SagaStats {
  const byStatus = Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
  const reasons = new Map<string, number>();
  const durations = new Map<ExecutionStatus, number[]>();
  for (const { record, reason } of samples) {
    byStatus[record.status] = (byStatus[record.status] ?? 0) + 1;
    if (['FAILED', 'TIMED_OUT', 'ABORTED'].includes(record.status)) {
      const key = reason ?? record.status;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    // Running executions have no duration yet; counting them would drag the percentiles down.
    if (record.stopDate) durations.set(record.status, [...(durations.get(record.status) ?? []), durationOf(record)]);
  }
  const durationByStatus: SagaStats['durationByStatus'] = {};
  for (const [status, list] of durations) durationByStatus[status] = durationStats(list);
  return {
    ...(window.since !== undefined && { since: window.since }),
    until: window.until,
    total: samples.length,
    byStatus,
    failureReasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    durationMs: durationStats([...durations.values()].flat()),
    durationByStatus,
  };
}
