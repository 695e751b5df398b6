import type { DescribeExecutionOutput, ExecutionListItem } from '@aws-sdk/client-sfn';

/**
 * An execution as the inspector shows it: ISO dates and plain strings, so that the CLI's --json,
 * the web API and recorded fixtures all carry the same shape.
 */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];

export interface ExecutionRecord {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  /** Present once described (ListExecutions does not return them). */
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount?: number;
  redriveStatus?: string;
  redriveStatusReason?: string;
}

const iso = (date: Date | string | undefined) => (date === undefined ? undefined : new Date(date).toISOString());

export function toExecutionRecord(source: DescribeExecutionOutput | ExecutionListItem): ExecutionRecord {
  const record: ExecutionRecord = {
    executionArn: source.executionArn ?? '',
    name: source.name ?? executionNameOf(source.executionArn ?? ''),
    stateMachineArn: source.stateMachineArn ?? '',
    status: (source.status ?? 'RUNNING') as ExecutionStatus,
    startDate: iso(source.startDate) ?? new Date(0).toISOString(),
  };
  const stopDate = iso(source.stopDate);
  if (stopDate) record.stopDate = stopDate;
  if (source.redriveCount !== undefined) record.redriveCount = source.redriveCount;
  if ('input' in source) {
    const described = source as DescribeExecutionOutput;
    for (const key of ['input', 'output', 'error', 'cause', 'redriveStatus', 'redriveStatusReason'] as const) {
      const value = described[key];
      if (value !== undefined && value !== null) record[key] = String(value);
    }
  }
  return record;
}

/** `arn:aws:states:r:a:execution:machine:name` -> `name`. */
export function executionNameOf(executionArn: string): string {
  return executionArn.split(':')[7] ?? executionArn;
}

/** Milliseconds from start to stop, or to `now` while it runs. */
export function durationOf(record: Pick<ExecutionRecord, 'startDate' | 'stopDate'>, now = Date.now()): number {
  const start = Date.parse(record.startDate);
  const stop = record.stopDate ? Date.parse(record.stopDate) : now;
  return Math.max(0, stop - start);
}

/** The execution ARN of `name` under a Standard state machine: AWS derives it this way. */
export function executionArnFor(stateMachineArn: string, name: string): string {
  const parts = stateMachineArn.split(':');
  if (parts[5] !== 'stateMachine' || parts.length < 7) throw new Error(`not a state machine ARN: ${stateMachineArn}`);
  return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
}

export const isExecutionArn = (value: string) => /^arn:[^:]+:states:[^:]*:[^:]*:(execution|express):/u.test(value);

export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
