import type { HistoryEvent, Json } from './events';
import { type ExecutionRecord, type ExecutionStatus, executionNameOf } from './execution';

/**
 * Histories that come from a file instead of GetExecutionHistory:
 * - `history --json` or `aws stepfunctions get-execution-history` output (Standard workflows);
 * - CloudWatch Logs records of a state machine with logging level ALL, the only history an
 *   Express workflow has: `aws logs filter-log-events` output, a JSON array of records, or one
 *   record per line. Records carry `type`, `id`, `previous_event_id`, `event_timestamp`,
 *   `execution_arn` and `details` (the event's details object).
 */
export interface HistoryExport {
  /** The execution the events belong to, when the file says. */
  executionArn?: string;
  events: HistoryEvent[];
}

export class HistoryExportError extends Error {
  override readonly name = 'HistoryExportError';
}

export function readHistoryExport(text: string, execution?: string): HistoryExport {
  const items = parseItems(text);
  if (items.length === 0) throw new HistoryExportError('the file holds no history events');
  const first = items[0]!;
  if ('event_timestamp' in first || 'execution_arn' in first) return fromLogRecords(items, execution);
  return { events: items.map(fromApiEvent).sort((a, b) => (a.id ?? 0) - (b.id ?? 0)) };
}

function parseItems(text: string): Json[] {
  const trimmed = text.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    // JSON Lines: one log record per line.
    try {
      parsed = trimmed.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
    } catch {
      throw new HistoryExportError('the file is neither JSON nor JSON lines');
    }
  }
  const list = Array.isArray(parsed) ? parsed : Array.isArray((parsed as Json | null)?.['events']) ? ((parsed as Json)['events'] as unknown[]) : [];
  // filter-log-events wraps each record as {message: "<record as JSON>", ...}.
  return list.map((item) => (typeof (item as Json)['message'] === 'string' ? (JSON.parse((item as Json)['message'] as string) as Json) : (item as Json)));
}

function fromApiEvent(raw: Json): HistoryEvent {
  const event = { ...raw };
  const ts = event['timestamp'];
  // The AWS CLI may print epoch seconds; the SDK and `history --json` give ISO strings.
  event['timestamp'] = typeof ts === 'number' ? new Date(ts < 1e12 ? ts * 1000 : ts) : new Date(String(ts));
  return event as unknown as HistoryEvent;
}

function fromLogRecords(records: Json[], execution?: string): HistoryExport {
  const arns = [...new Set(records.map((r) => String(r['execution_arn'] ?? '')).filter(Boolean))];
  const wanted = execution ? arns.filter((arn) => arn === execution || executionNameOf(arn) === execution) : arns;
  if (wanted.length > 1) {
    throw new HistoryExportError(`the file holds ${wanted.length} executions; name one of: ${wanted.join(', ')}`);
  }
  if (execution && arns.length > 0 && wanted.length === 0) throw new HistoryExportError(`the file holds no events of ${execution}`);
  const arn = wanted[0];
  const events = records
    .filter((r) => !arn || r['execution_arn'] === arn)
    .map((r): HistoryEvent => {
      const type = String(r['type']);
      const details = r['details'];
      const event: Json = {
        id: Number(r['id']),
        previousEventId: Number(r['previous_event_id'] ?? 0),
        timestamp: new Date(Number(r['event_timestamp'])),
        type,
      };
      if (details && typeof details === 'object' && Object.keys(details).length > 0) event[detailsKey(type)] = details;
      return event as unknown as HistoryEvent;
    })
    .sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  return { ...(arn && { executionArn: arn }), events };
}

/** `TaskStateEntered` -> `stateEnteredEventDetails`, `LambdaFunctionFailed` -> `lambdaFunctionFailedEventDetails`. */
function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

const TERMINAL: Record<string, ExecutionStatus> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionAborted: 'ABORTED',
  ExecutionTimedOut: 'TIMED_OUT',
};

/** What DescribeExecution would have said, rebuilt from the events (an Express execution has no describe). */
export function recordFromHistory(executionArn: string, stateMachineArn: string, events: readonly HistoryEvent[]): ExecutionRecord {
  const started = events.find((e) => e.type === 'ExecutionStarted');
  const last = [...events].reverse().find((e) => e.type === 'ExecutionRedriven' || (e.type !== undefined && e.type in TERMINAL));
  const terminal = last && last.type !== 'ExecutionRedriven' ? last : undefined;
  const record: ExecutionRecord = {
    executionArn,
    name: executionNameOf(executionArn),
    stateMachineArn,
    status: terminal ? TERMINAL[terminal.type!]! : 'RUNNING',
    startDate: new Date(started?.timestamp ?? events[0]?.timestamp ?? 0).toISOString(),
    redriveCount: events.filter((e) => e.type === 'ExecutionRedriven').length,
  };
  if (terminal?.timestamp) record.stopDate = new Date(terminal.timestamp).toISOString();
  const input = started?.executionStartedEventDetails?.input;
  if (input !== undefined) record.input = input;
  const output = terminal?.executionSucceededEventDetails?.output;
  if (output !== undefined) record.output = output;
  const failure = terminal?.executionFailedEventDetails ?? terminal?.executionAbortedEventDetails ?? terminal?.executionTimedOutEventDetails;
  if (failure?.error !== undefined) record.error = failure.error;
  if (failure?.cause !== undefined) record.cause = failure.cause;
  return record;
}
