import { compensationRule } from '../src/core/compensation';
import { HistoryExportError, readHistoryExport, recordFromHistory } from '../src/core/history-export';
import { buildTimeline } from '../src/core/timeline';
import { recorded, toLogRecords } from './helpers/fixtures';

const EXPRESS = 'arn:aws:states:eu-west-1:123456789012:express:order-prod-saga:ord-9:4f1c0e2a-1111-2222-3333-444455556666';
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:order-prod-saga';
const isCompensation = compensationRule();
const shape = (events: Parameters<typeof buildTimeline>[0]) =>
  buildTimeline(events, { isCompensation }).entries.map((e) => [e.name, e.status, e.durationMs, e.retries, e.compensation]);

describe('readHistoryExport', () => {
  const { history, record } = recorded('saga-compensated');
  const logs = toLogRecords(history, EXPRESS);

  it('reads CloudWatch Logs records of an Express execution into the same timeline', () => {
    const exported = readHistoryExport(JSON.stringify(logs));
    expect(exported.executionArn).toBe(EXPRESS);
    expect(shape(exported.events)).toEqual(shape(history));
  });

  it('reads `aws logs filter-log-events` output and JSON lines', () => {
    const wrapped = { events: logs.map((r, i) => ({ logStreamName: 's', timestamp: i, message: JSON.stringify(r) })) };
    expect(shape(readHistoryExport(JSON.stringify(wrapped)).events)).toEqual(shape(history));
    expect(shape(readHistoryExport(logs.map((r) => JSON.stringify(r)).join('\n')).events)).toEqual(shape(history));
  });

  it('reads a saved GetExecutionHistory (history --json, or the AWS CLI with epoch seconds)', () => {
    expect(shape(readHistoryExport(JSON.stringify(history)).events)).toEqual(shape(history));
    const cli = { events: history.map((e) => ({ ...e, timestamp: new Date(e.timestamp!).getTime() / 1000 })) };
    expect(shape(readHistoryExport(JSON.stringify(cli)).events)).toEqual(shape(history));
  });

  it('picks one execution out of a log group export', () => {
    const other = toLogRecords(recorded('saga-succeeded').history, EXPRESS.replace('ord-9', 'ord-10'));
    const mixed = JSON.stringify([...other, ...logs]);
    expect(() => readHistoryExport(mixed)).toThrow(/holds 2 executions/);
    expect(readHistoryExport(mixed, 'ord-9').executionArn).toBe(EXPRESS);
    expect(readHistoryExport(mixed, EXPRESS).events).toHaveLength(history.length);
    expect(() => readHistoryExport(mixed, 'ord-11')).toThrow(HistoryExportError);
    expect(() => readHistoryExport('[]')).toThrow(HistoryExportError);
    expect(() => readHistoryExport('not json {')).toThrow(HistoryExportError);
  });

  it('rebuilds what DescribeExecution would say', () => {
    const rebuilt = recordFromHistory(EXPRESS, MACHINE, history);
    expect(rebuilt).toEqual({
      executionArn: EXPRESS,
      name: 'ord-9',
      stateMachineArn: MACHINE,
      status: 'FAILED',
      startDate: record.startDate,
      stopDate: record.stopDate,
      input: record.input,
      error: 'OrderFailed',
      cause: record.cause,
      redriveCount: 0,
    });
    expect(recordFromHistory(EXPRESS, MACHINE, recorded('saga-redriven').history)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(recordFromHistory(EXPRESS, MACHINE, history.slice(0, 10))).toMatchObject({ status: 'RUNNING' });
  });
});
