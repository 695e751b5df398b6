import { durationOf, type ExecutionRecord, type ExecutionStatus } from './execution';
import type { Timeline, TimelineEntry } from './timeline';

/** The first screen of `show`: what happened to this order's saga, in a few fields. */
export interface ExecutionSummary {
  name: string;
  executionArn: string;
  status: ExecutionStatus;
  startedAt: string;
  stoppedAt?: string;
  durationMs: number;
  /** State transitions (states entered), which is also what Standard workflows are billed on. */
  transitions: number;
  retries: number;
  redriveCount: number;
  error?: string;
  cause?: string;
  /** The state the execution failed in (uncaught failure, or the terminal Fail state). */
  failedState?: string;
  /** The first failure that sent the saga down a compensation path. */
  trigger?: { state: string; error?: string; cause?: string };
  /** Compensation states run, in order. */
  compensations: string[];
  compensated: boolean;
}

export function summarize(record: ExecutionRecord, timeline: Timeline, now = Date.now()): ExecutionSummary {
  const entries = timeline.entries;
  const compensations = entries.filter((e) => e.compensation).map((e) => e.name);
  const summary: ExecutionSummary = {
    name: record.name,
    executionArn: record.executionArn,
    status: record.status,
    startedAt: record.startDate,
    durationMs: durationOf(record, now),
    transitions: entries.length,
    retries: entries.reduce((sum, e) => sum + e.retries, 0),
    redriveCount: record.redriveCount ?? timeline.redrives,
    compensations,
    compensated: compensations.length > 0,
  };
  if (record.stopDate) summary.stoppedAt = record.stopDate;
  const finalError = record.error ?? lastFailed(entries)?.error;
  const finalCause = record.cause ?? lastFailed(entries)?.cause;
  if (record.status !== 'SUCCEEDED' && finalError !== undefined) summary.error = finalError;
  if (record.status !== 'SUCCEEDED' && finalCause !== undefined) summary.cause = finalCause;
  const failed = record.status === 'FAILED' || record.status === 'TIMED_OUT' ? lastFailed(entries) : undefined;
  if (failed) summary.failedState = failed.name;
  const trigger = entries.find((e) => e.status === 'caught' || (e.status === 'failed' && e.type !== 'Fail'));
  if (trigger) {
    summary.trigger = { state: trigger.name };
    if (trigger.error !== undefined) summary.trigger.error = trigger.error;
    if (trigger.cause !== undefined) summary.trigger.cause = trigger.cause;
  }
  return summary;
}

function lastFailed(entries: readonly TimelineEntry[]): TimelineEntry | undefined {
  return [...entries].reverse().find((e) => e.status === 'failed' || e.status === 'timedOut');
}
