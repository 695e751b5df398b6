import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compensationRule } from '../../src/core/compensation';
import { type HistoryEvent, reviveHistory } from '../../src/core/events';
import { type ExecutionRecord, toExecutionRecord } from '../../src/core/execution';
import { buildExecutionView, type ExecutionView } from '../../src/core/view';

/**
 * Recorded executions (describe + history) of the real saga definition on the project's Step
 * Functions server, and of a small Parallel/Map machine. Re-record with the sandbox helpers when
 * the saga changes shape.
 */
const DIR = path.join(__dirname, '../fixtures');

export type Recorded = 'saga-succeeded' | 'saga-declined' | 'saga-compensated' | 'saga-retried' | 'saga-stuck' | 'saga-redriven' | 'nested-succeeded';

export function recorded(name: Recorded): { record: ExecutionRecord; history: HistoryEvent[] } {
  const raw = JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as { describe: Record<string, unknown>; events: unknown[] };
  const describe = { ...raw.describe, startDate: new Date(raw.describe['startDate'] as string) } as Record<string, unknown>;
  if (describe['stopDate']) describe['stopDate'] = new Date(describe['stopDate'] as string);
  return { record: toExecutionRecord(describe as never), history: reviveHistory(raw.events) };
}

export function definitionOf(name: Recorded): string {
  return readFileSync(path.join(DIR, name.startsWith('nested') ? 'nested-definition.json' : 'saga-definition.json'), 'utf8');
}

export function viewOf(name: Recorded): ExecutionView {
  const { record, history } = recorded(name);
  return buildExecutionView({ record, history, definition: definitionOf(name), isCompensation: compensationRule() });
}

/**
 * A history as CloudWatch Logs records (what an Express workflow with logging level ALL writes):
 * snake_case envelope, epoch-millisecond strings, the event's details under `details`.
 */
export function toLogRecords(events: HistoryEvent[], executionArn: string): Record<string, unknown>[] {
  return events.map((event) => {
    const detailsKey = Object.keys(event).find((k) => k.endsWith('EventDetails'));
    return {
      id: String(event.id),
      type: event.type,
      details: detailsKey ? (event as unknown as Record<string, unknown>)[detailsKey] : {},
      previous_event_id: String(event.previousEventId ?? 0),
      event_timestamp: String(new Date(event.timestamp!).getTime()),
      execution_arn: executionArn,
    };
  });
}
