import { compensationRule, parsePatterns } from '../src/core/compensation';
import { causeMessage } from '../src/core/events';
import { executionArnFor, executionNameOf, isExecutionArn } from '../src/core/execution';
import { jsonDelta } from '../src/core/json-delta';
import { formatDuration, InvalidTimeError, parseSince } from '../src/core/time';

describe('compensation rule', () => {
  it('matches the saga\'s naming convention by default', () => {
    const rule = compensationRule();
    expect(['ReleaseInventoryAfterShippingFailed', 'RefundPaymentAfterPaymentFailed', 'MarkOrderFailed'].every(rule)).toBe(true);
    expect(['ReserveInventory', 'ProcessPayment', 'OrderFailed', 'MarkOrderFailedLater'].some(rule)).toBe(false);
  });

  it('takes other globs, e.g. from --compensation', () => {
    const rule = compensationRule(parsePatterns(' Undo*, Cancel?rder ,'));
    expect([rule('UndoBooking'), rule('CancelOrder'), rule('ReleaseInventory')]).toEqual([true, true, false]);
    expect(parsePatterns('  ')).toBeUndefined();
    expect(compensationRule(['a.b'])('axb')).toBe(false);
  });
});

describe('time', () => {
  it('formats durations for people', () => {
    expect([formatDuration(5), formatDuration(1234), formatDuration(12_345), formatDuration(125_000), formatDuration(7_500_000), formatDuration(undefined)]).toEqual([
      '5 ms',
      '1.23 s',
      '12.3 s',
      '2m 05s',
      '2h 05m',
      '-',
    ]);
  });

  it('reads relative windows and ISO dates', () => {
    const now = Date.UTC(2026, 0, 2);
    expect(parseSince('15m', now).getTime()).toBe(now - 900_000);
    expect(parseSince('2h', now).getTime()).toBe(now - 7_200_000);
    expect(parseSince('1d', now).getTime()).toBe(now - 86_400_000);
    expect(parseSince('2026-01-01T00:00:00Z', now).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(() => parseSince('yesterday')).toThrow(InvalidTimeError);
  });
});

describe('execution ARNs', () => {
  const machine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:order-prod-saga';

  it('derives an execution ARN from the state machine and the order id', () => {
    expect(executionArnFor(machine, 'ord-1')).toBe('arn:aws:states:eu-west-1:123456789012:execution:order-prod-saga:ord-1');
    expect(executionNameOf(executionArnFor(machine, 'ord-1'))).toBe('ord-1');
    expect(() => executionArnFor('arn:aws:states:eu-west-1:1:activity:x', 'a')).toThrow();
  });

  it('tells execution ARNs from order ids', () => {
    expect(isExecutionArn('arn:aws:states:eu-west-1:1:execution:m:n')).toBe(true);
    expect(isExecutionArn('arn:aws:states:eu-west-1:1:express:m:n:id')).toBe(true);
    expect(isExecutionArn('ord-1')).toBe(false);
  });
});

describe('json delta and causes', () => {
  it('keeps what a state added or changed', () => {
    expect(jsonDelta('{"a":1,"b":{"c":1}}', '{"a":1,"b":{"c":2},"d":[1]}')).toEqual({ b: { c: 2 }, d: [1] });
    expect(jsonDelta('{"a":1}', '{"a":1}')).toEqual({});
    expect(jsonDelta('"x"', '{"a":1}')).toBeUndefined();
  });

  it('shows a Lambda error\'s message', () => {
    expect(causeMessage('{"errorType":"PaymentDeclined","errorMessage":"Card declined","trace":[]}')).toBe('Card declined');
    expect(causeMessage('plain words')).toBe('plain words');
    expect(causeMessage(undefined)).toBeUndefined();
  });
});
