import { countHistory, historyLogBytes } from '../src/history';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

describe('counting an execution history as AWS bills it', () => {
  const events = [
    { id: 1, type: 'ExecutionStarted', timestamp: at(0) },
    { id: 2, type: 'TaskStateEntered', timestamp: at(1), stateEnteredEventDetails: { name: 'ProcessPayment', input: '{"secret":1}' } },
    { id: 3, type: 'LambdaFunctionScheduled', timestamp: at(2) },
    { id: 4, type: 'LambdaFunctionStarted', timestamp: at(3) },
    { id: 5, type: 'LambdaFunctionFailed', timestamp: at(42) },
    { id: 6, type: 'LambdaFunctionScheduled', timestamp: at(1042) },
    { id: 7, type: 'LambdaFunctionStarted', timestamp: at(1043) },
    { id: 8, type: 'LambdaFunctionSucceeded', timestamp: at(1072) },
    { id: 9, type: 'TaskStateExited', timestamp: at(1073) },
    { id: 10, type: 'SucceedStateEntered', timestamp: at(1074), stateEnteredEventDetails: { name: 'Done' } },
    { id: 11, type: 'ExecutionSucceeded', timestamp: at(1075) },
  ];

  it('one transition per state entered plus one per retry', () => {
    const counts = countHistory(events);
    expect(counts.statesEntered).toEqual(['ProcessPayment', 'Done']);
    expect(counts.retries).toBe(1);
    expect(counts.billableTransitions).toBe(3);
  });

  it('times each attempt from scheduled to its end, and the whole execution', () => {
    const counts = countHistory(events);
    expect(counts.attempts).toEqual([{ state: 'ProcessPayment', durationsMs: [40, 30], failed: 1 }]);
    expect(counts.executionDurationMs).toBe(1075);
  });

  it('sizes the log records without execution data', () => {
    const bytes = historyLogBytes(events, 'arn:aws:states:eu-west-1:1:execution:m:o');
    expect(bytes).toBeGreaterThan(events.length * 100);
    const withHugeInput = historyLogBytes(
      events.map((e) => (e.stateEnteredEventDetails ? { ...e, stateEnteredEventDetails: { ...e.stateEnteredEventDetails, input: 'x'.repeat(10_000) } } : e)),
      'arn:aws:states:eu-west-1:1:execution:m:o',
    );
    expect(withHugeInput).toBe(bytes);
  });
});
