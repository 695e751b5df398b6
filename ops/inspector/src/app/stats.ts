import type { CompensationRule } from '../core/compensation';
import type { HistoryEvent } from '../core/events';
import type { ExecutionRecord } from '../core/execution';
import { computeStats, type SagaStats, type StatsSample } from '../core/stats';
import { summarize } from '../core/summary';
import { buildTimeline } from '../core/timeline';
import type { ExecutionPage, ListFilter } from './list';

/**
 * `stats`: every execution started in the window (newest first, bounded), then, for the
 * unsuccessful ones, the reason from their history.
 */
export interface StatsRequest {
  since: Date;
  until?: Date;
  /** Stop after this many executions (newest first), to bound API calls on a busy account. */
  maxExecutions?: number;
}

export interface StatsSources {
  list(filter: ListFilter): Promise<ExecutionPage>;
  history(executionArn: string): Promise<HistoryEvent[]>;
  isCompensation: CompensationRule;
}

const HISTORY_CONCURRENCY = 6;

export async function collectStats(sources: StatsSources, request: StatsRequest): Promise<SagaStats> {
  const until = request.until ?? new Date();
  const max = request.maxExecutions ?? 5000;
  const samples: StatsSample[] = [];
  let cursor: string | undefined;
  do {
    const page = await sources.list({ since: request.since, limit: 100, ...(cursor && { cursor }) });
    for (const record of page.items) {
      if (Date.parse(record.startDate) <= until.getTime() && samples.length < max) samples.push({ record });
    }
    cursor = samples.length < max ? page.nextCursor : undefined;
  } while (cursor);
  await addFailureReasons(sources, samples);
  return computeStats(samples, { since: request.since.toISOString(), until: until.toISOString() });
}

/**
 * The saga ends every compensated run in the same Fail state (error OrderFailed), which says
 * nothing; the reason worth counting is the error that triggered the compensation, which only
 * the history holds.
 */
async function addFailureReasons(sources: StatsSources, samples: StatsSample[]): Promise<void> {
  const failed = samples.filter((s) => ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(s.record.status));
  let next = 0;
  const worker = async () => {
    while (next < failed.length) {
      const sample = failed[next++]!;
      const record = sample.record as ExecutionRecord;
      const timeline = buildTimeline(await sources.history(record.executionArn), { isCompensation: sources.isCompensation });
      const summary = summarize(record, timeline);
      sample.reason = summary.trigger?.error ?? summary.error ?? record.status;
    }
  };
  await Promise.all(Array.from({ length: Math.min(HISTORY_CONCURRENCY, failed.length) }, worker));
}
