/**
 * Reading a Step Functions execution history (GetExecutionHistory events) the way AWS bills it:
 * one state transition per state entered, and one more per retry of a Task (a repeated
 * LambdaFunctionScheduled / TaskScheduled inside the same state). Pure.
 */

export interface HistoryEventLike {
  type?: string;
  timestamp?: Date | string | number;
  stateEnteredEventDetails?: { name?: string };
  [key: string]: unknown;
}

export interface HistoryCounts {
  statesEntered: string[];
  retries: number;
  billableTransitions: number;
  /** Per Task state entry: the lambda durations of its attempts (scheduled -> succeeded/failed/timed out), ms. */
  attempts: Array<{ state: string; durationsMs: number[]; failed: number }>;
  executionDurationMs: number;
}

const time = (t: HistoryEventLike['timestamp']) => (t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : Number(t ?? 0));
const isScheduled = (type: string) => type === 'LambdaFunctionScheduled' || type === 'TaskScheduled';
const isEnd = (type: string) => /^(LambdaFunction|Task)(Succeeded|Failed|TimedOut|StartFailed|SubmitFailed)$/.test(type);

export function countHistory(events: HistoryEventLike[]): HistoryCounts {
  const statesEntered: string[] = [];
  const attempts: HistoryCounts['attempts'] = [];
  let retries = 0;
  let current: HistoryCounts['attempts'][number] | undefined;
  let scheduledAt: number | undefined;
  for (const event of events) {
    const type = event.type ?? '';
    if (type.endsWith('StateEntered')) {
      const name = event.stateEnteredEventDetails?.name ?? '?';
      statesEntered.push(name);
      current = { state: name, durationsMs: [], failed: 0 };
      attempts.push(current);
      continue;
    }
    if (isScheduled(type)) {
      if (current && (current.durationsMs.length > 0 || scheduledAt !== undefined)) retries += 1;
      scheduledAt = time(event.timestamp);
      continue;
    }
    if (isEnd(type) && current && scheduledAt !== undefined) {
      current.durationsMs.push(time(event.timestamp) - scheduledAt);
      if (!type.endsWith('Succeeded')) current.failed += 1;
      scheduledAt = undefined;
    }
    if (type.endsWith('StateExited')) scheduledAt = undefined;
  }
  const first = events[0];
  const last = events[events.length - 1];
  return {
    statesEntered,
    retries,
    billableTransitions: statesEntered.length + retries,
    attempts: attempts.filter((a) => a.durationsMs.length > 0),
    executionDurationMs: first && last ? time(last.timestamp) - time(first.timestamp) : 0,
  };
}

/**
 * Bytes the execution would send to CloudWatch Logs at level ALL with includeExecutionData false:
 * each event as a log record without its input and output.
 */
export function historyLogBytes(events: HistoryEventLike[], executionArn: string): number {
  let bytes = 0;
  for (const event of events) {
    const details: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(event)) {
      if (!key.endsWith('EventDetails') || value === null || typeof value !== 'object') continue;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k !== 'input' && k !== 'output' && !k.endsWith('Details')) details[k] = v;
      }
    }
    bytes += JSON.stringify({
      id: String(event.id ?? ''),
      type: event.type,
      details,
      previous_event_id: String(event.previousEventId ?? '0'),
      event_timestamp: String(time(event.timestamp)),
      execution_arn: executionArn,
      redrive_count: '0',
    }).length;
  }
  return bytes;
}
