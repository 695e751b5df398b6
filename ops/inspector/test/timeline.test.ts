import { compensationRule } from '../src/core/compensation';
import { parseDefinition, placementsOf } from '../src/core/definition';
import type { HistoryEvent } from '../src/core/events';
import { buildTimeline } from '../src/core/timeline';
import { definitionOf, recorded } from './helpers/fixtures';

const isCompensation = compensationRule();
const timelineOf = (name: Parameters<typeof recorded>[0]) => {
  const placements = placementsOf(parseDefinition(definitionOf(name)));
  return buildTimeline(recorded(name).history, { isCompensation, placements });
};
const summary = (name: Parameters<typeof recorded>[0]) =>
  timelineOf(name).entries.map((e) => `${e.name}:${e.status}${e.compensation ? ':comp' : ''}`);

describe('buildTimeline on recorded saga executions', () => {
  it('a successful saga visits the four steps and the Succeed state, all succeeded', () => {
    expect(summary('saga-succeeded')).toEqual([
      'ReserveInventory:succeeded',
      'ProcessPayment:succeeded',
      'ShipOrder:succeeded',
      'ConfirmOrder:succeeded',
      'OrderConfirmed:succeeded',
    ]);
  });

  it('a declined payment is caught, then compensated in reverse, ending in the Fail state', () => {
    expect(summary('saga-declined')).toEqual([
      'ReserveInventory:succeeded',
      'ProcessPayment:caught',
      'ReleaseInventoryAfterPaymentDeclined:succeeded:comp',
      'MarkOrderFailed:succeeded:comp',
      'OrderFailed:failed',
    ]);
    const payment = timelineOf('saga-declined').entries[1]!;
    expect(payment.error).toBe('PaymentDeclined');
    expect(payment.cause).toContain('Card declined');
  });

  it('a shipping failure refunds, then releases, then marks the order failed', () => {
    expect(summary('saga-compensated')).toEqual([
      'ReserveInventory:succeeded',
      'ProcessPayment:succeeded',
      'ShipOrder:caught',
      'RefundPaymentAfterShippingFailed:succeeded:comp',
      'ReleaseInventoryAfterShippingFailed:succeeded:comp',
      'MarkOrderFailed:succeeded:comp',
      'OrderFailed:failed',
    ]);
    const fail = timelineOf('saga-compensated').entries.at(-1)!;
    expect(fail).toMatchObject({ type: 'Fail', error: 'OrderFailed' });
  });

  it('counts attempts and retries, keeping the retried error', () => {
    const payment = timelineOf('saga-retried').entries.find((e) => e.name === 'ProcessPayment')!;
    expect(payment).toMatchObject({ status: 'succeeded', attempts: 2, retries: 1, error: 'TransientError' });
    expect(payment.failures).toEqual([expect.objectContaining({ error: 'TransientError' })]);
  });

  it('an uncaught failure leaves the state failed after its retries', () => {
    const confirm = timelineOf('saga-stuck').entries.at(-1)!;
    expect(confirm).toMatchObject({ name: 'ConfirmOrder', status: 'failed', attempts: 3, retries: 2, error: 'OrderStoreUnavailable' });
    expect(confirm.durationMs).toBeGreaterThan(0);
  });

  it('a redrive starts a new run at the failed state', () => {
    const timeline = timelineOf('saga-redriven');
    expect(timeline.redrives).toBe(1);
    expect(timeline.entries.map((e) => `${e.run}:${e.name}:${e.status}`)).toEqual([
      '0:ReserveInventory:succeeded',
      '0:ProcessPayment:succeeded',
      '0:ShipOrder:succeeded',
      '0:ConfirmOrder:failed',
      '1:ConfirmOrder:succeeded',
      '1:OrderConfirmed:succeeded',
    ]);
  });

  it('durations and offsets follow the event timestamps', () => {
    const { entries, startedAt, endedAt } = timelineOf('saga-compensated');
    expect(Date.parse(endedAt!)).toBeGreaterThanOrEqual(Date.parse(startedAt!));
    for (const entry of entries) {
      expect(entry.offsetMs).toBe(Date.parse(entry.startedAt) - Date.parse(startedAt!));
      expect(entry.durationMs).toBe(Date.parse(entry.endedAt!) - Date.parse(entry.startedAt));
    }
    expect(entries.map((e) => e.offsetMs)).toEqual([...entries.map((e) => e.offsetMs)].sort((a, b) => a - b));
  });

  it('keeps each visit\'s state input and output', () => {
    const reserve = timelineOf('saga-succeeded').entries[0]!;
    expect(JSON.parse(reserve.input!)).toMatchObject({ orderId: 'ord-success' });
    expect(JSON.parse(reserve.output!)).toHaveProperty('reservation.total.amount', 2500);
  });
});

describe('buildTimeline on nested states', () => {
  const timeline = timelineOf('nested-succeeded');

  it('places Parallel branch states under their Parallel, with the branch index', () => {
    const branchStates = timeline.entries.filter((e) => e.parent === 'Fanout');
    expect(branchStates.map((e) => [e.name, e.branch, e.depth])).toEqual([
      ['BranchA1', 0, 1],
      ['BranchB1', 1, 1],
      ['BranchA2', 0, 1],
    ]);
  });

  it('places Map states under their Map, one visit per iteration', () => {
    const doubles = timeline.entries.filter((e) => e.name === 'Double');
    expect(doubles.map((e) => [e.parent, e.iteration])).toEqual([
      ['EachItem', 0],
      ['EachItem', 1],
      ['EachItem', 2],
    ]);
    const ends = timeline.entries.filter((e) => e.parent === 'EachItem' && (e.name === 'Big' || e.name === 'Small'));
    expect(ends.map((e) => `${e.name}[${e.iteration}]`).sort()).toEqual(['Big[2]', 'Small[0]', 'Small[1]']);
  });

  it('closes the compound states when their last child has finished', () => {
    const fanout = timeline.entries.find((e) => e.name === 'Fanout')!;
    const map = timeline.entries.find((e) => e.name === 'EachItem')!;
    expect([fanout.status, map.status]).toEqual(['succeeded', 'succeeded']);
    expect(fanout.eventIds.length).toBeGreaterThan(2);
  });
});

describe('buildTimeline without event links', () => {
  // Some exporters drop previousEventId; the innermost open state then owns the inner events.
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  const events: HistoryEvent[] = [
    { id: 1, type: 'ExecutionStarted', timestamp: at(0), executionStartedEventDetails: { input: '{}' } },
    { id: 2, type: 'TaskStateEntered', timestamp: at(1), stateEnteredEventDetails: { name: 'Charge', input: '{}' } },
    { id: 3, type: 'TaskScheduled', timestamp: at(1), taskScheduledEventDetails: { resource: 'invoke', resourceType: 'lambda', region: 'eu-west-1', parameters: '{}' } },
    { id: 4, type: 'TaskFailed', timestamp: at(2), taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'Boom', cause: 'bad' } },
    { id: 5, type: 'TaskScheduled', timestamp: at(3), taskScheduledEventDetails: { resource: 'invoke', resourceType: 'lambda', region: 'eu-west-1', parameters: '{}' } },
    { id: 6, type: 'TaskFailed', timestamp: at(4), taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'Boom', cause: 'worse' } },
    { id: 7, type: 'ExecutionFailed', timestamp: at(4), executionFailedEventDetails: { error: 'Boom', cause: 'worse' } },
  ];

  it('still counts retries and ends the open state as failed', () => {
    const { entries, endedAt } = buildTimeline(events);
    expect(entries).toEqual([
      expect.objectContaining({ name: 'Charge', status: 'failed', attempts: 2, retries: 1, error: 'Boom', cause: 'worse', durationMs: 3000, offsetMs: 1000 }),
    ]);
    expect(endedAt).toBe(at(4).toISOString());
  });

  it('an aborted execution marks the open state aborted', () => {
    const aborted = [...events.slice(0, 3), { id: 4, type: 'ExecutionAborted', timestamp: at(5), executionAbortedEventDetails: { error: 'Stopped' } }] as HistoryEvent[];
    expect(buildTimeline(aborted).entries[0]).toMatchObject({ status: 'aborted', durationMs: 4000 });
  });

  it('a running execution leaves the open state running, without an end', () => {
    const { entries, endedAt } = buildTimeline(events.slice(0, 3));
    expect(entries[0]).toMatchObject({ status: 'running' });
    expect(entries[0]!.endedAt).toBeUndefined();
    expect(endedAt).toBeUndefined();
  });
});
