import { compensationRule } from '../src/core/compensation';
import { compareRuns, endedAs } from '../src/core/compare';
import { buildExport, EXPORT_VERSION, MASKED_TOKEN, readExecutionExport } from '../src/core/execution-export';
import { HistoryExportError } from '../src/core/history-export';
import { localizeDefinition, nextReplayName, replayBaseName, replayInput, seedPlan, tokenForOutcome } from '../src/core/replay';
import { buildTimeline } from '../src/core/timeline';
import { definitionOf, recorded, type Recorded } from './helpers/fixtures';

const isCompensation = compensationRule();
const timelineOf = (name: Recorded) => buildTimeline(recorded(name).history, { isCompensation });
const exportOf = (name: Recorded, mask = true) => {
  const { record, history } = recorded(name);
  return buildExport({ record, events: history, definition: definitionOf(name), order: { orderId: record.name, email: 'cust-1@example.com', status: 'FAILED' }, mask });
};
const run = (name: Recorded) => {
  const { record } = recorded(name);
  return { side: { name: record.name, executionArn: record.executionArn, status: record.status, durationMs: 10 }, entries: timelineOf(name).entries };
};

describe('the execution export', () => {
  it('carries the format, version, record, definition, order record and events', () => {
    const exported = exportOf('saga-declined', false);
    expect(exported).toMatchObject({ format: 'order-saga-execution', version: EXPORT_VERSION, masked: [], order: { orderId: 'ord-declined' } });
    expect(exported.definition).toContain('ReserveInventory');
    expect(exported.events).toHaveLength(recorded('saga-declined').history.length);
  });

  it('masks the e-mail address and the payment token everywhere, by default', () => {
    const text = JSON.stringify(exportOf('saga-compensated'));
    const exported = JSON.parse(text) as ReturnType<typeof exportOf>;
    expect(exported.masked).toEqual(['email', 'paymentToken']);
    expect(text).not.toContain('cust-1@example.com');
    expect(text).not.toContain('tok_visa');
    const input = JSON.parse(exported.execution.input!) as { email: string; paymentToken: string; orderId: string };
    expect(input.email).toMatch(/^masked-[0-9a-f]{8}@example\.invalid$/u);
    expect(input.paymentToken).toBe(MASKED_TOKEN);
    expect(input.orderId).toBe('ord-compensated');
    // The same mask in the events' inputs and in the order record.
    expect(text.split(input.email).length).toBeGreaterThan(3);
    expect(exported.order?.['email']).toBe(input.email);
  });

  it('reads itself back, and a bare history (history --json before version 1, the AWS CLI)', () => {
    const exported = exportOf('saga-declined');
    const back = readExecutionExport(JSON.stringify(exported));
    expect(back.execution).toEqual(exported.execution);
    expect(back.events.map((e) => e.type)).toEqual(exported.events.map((e) => e.type));
    const bare = readExecutionExport(JSON.stringify({ events: recorded('saga-declined').history }), 'ord-declined');
    expect(bare.execution.status).toBe('FAILED');
    expect(JSON.parse(bare.execution.input!)).toMatchObject({ orderId: 'ord-declined' });
    expect(() => readExecutionExport(JSON.stringify({ ...exported, version: EXPORT_VERSION + 1 }))).toThrow(HistoryExportError);
  });
});

describe('what a replay runs with', () => {
  it('is named <original>replay<n> (an order id the order API accepts), n one past the highest, counting from the original', () => {
    const id = 'ord_01kb2c3d4e5f6g7h8j9k0m1n2p';
    expect(nextReplayName(id, [])).toBe(`${id}replay1`);
    expect(nextReplayName(id, [id, `${id}replay1`, `${id}replay3`, `${id}0replay7`])).toBe(`${id}replay4`);
    expect(nextReplayName(`${id}replay2`, [`${id}replay2`])).toBe(`${id}replay3`);
    expect(replayBaseName(`${id}replay12`)).toBe(id);
    expect(nextReplayName(id, [])).toMatch(/^ord_[A-Za-z0-9]{1,60}$/u);
    const long = nextReplayName(`ord_${'x'.repeat(60)}`, []);
    expect(long).toMatch(/^ord_x+replay1$/u);
    expect(long.length).toBe(64);
  });

  it('other names get <original>-replay-<n>', () => {
    expect(nextReplayName('ord-1', [])).toBe('ord-1-replay-1');
    expect(nextReplayName('ord-1', ['ord-1', 'ord-1-replay-1', 'ord-1-replay-3', 'ord-10-replay-7'])).toBe('ord-1-replay-4');
    expect(nextReplayName('ord-1-replay-2', ['ord-1-replay-2'])).toBe('ord-1-replay-3');
    expect(replayBaseName('ord-1-replay-2')).toBe('ord-1');
  });

  it('keeps the input under its own order id, in the order service key order', () => {
    const { input, notes } = replayInput(exportOf('saga-succeeded', false), 'ord-ok-replay-1', timelineOf('saga-succeeded'));
    expect(Object.keys(input)).toEqual(['orderId', 'customerId', 'email', 'items', 'paymentToken']);
    expect(input).toMatchObject({ orderId: 'ord-ok-replay-1', paymentToken: 'tok_visa' });
    expect(notes[0]).toContain('-> ord-ok-replay-1');
  });

  it('replaces a masked payment token with the test token that answers as the recorded payment did', () => {
    expect(tokenForOutcome(timelineOf('saga-succeeded')).token).toBe('tok_visa');
    expect(tokenForOutcome(timelineOf('saga-declined')).token).toBe('tok_decline');
    const outage = timelineOf('saga-succeeded');
    outage.entries = outage.entries.map((e) => (e.name === 'ProcessPayment' ? { ...e, status: 'caught', error: 'TransientError' } : e));
    expect(tokenForOutcome(outage).token).toBe('tok_error');
    const { input, notes } = replayInput(exportOf('saga-declined'), 'ord-declined-replay-1', timelineOf('saga-declined'));
    expect(input['paymentToken']).toBe('tok_decline');
    expect(notes.join('\n')).toContain('masked');
  });

  it('seeds a PENDING order row and stock priced as the recorded reservation, enough for the order', () => {
    const exported = exportOf('saga-succeeded', false);
    const { input } = replayInput(exported, 'ord-ok-replay-1', timelineOf('saga-succeeded'));
    const plan = seedPlan(exported, input, timelineOf('saga-succeeded'), new Date('2026-01-01T00:00:00Z'));
    expect(plan.order).toMatchObject({ orderId: 'ord-ok-replay-1', status: 'PENDING', paymentToken: 'tok_visa', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(plan.stock).toEqual([expect.objectContaining({ sku: expect.any(String), available: expect.any(Number) })]);
    expect(plan.stock[0]!.source).toContain('recorded reservation');
  });

  it('seeds no stock when the original ran out of it, so that the replay meets the same shortage', () => {
    const exported = exportOf('saga-succeeded', false);
    const outOfStock = timelineOf('saga-succeeded');
    outOfStock.entries = [{ ...outOfStock.entries[0]!, status: 'caught', error: 'OutOfStock', output: undefined }];
    const { input } = replayInput(exported, 'r', outOfStock);
    const plan = seedPlan(exported, input, outOfStock);
    expect(plan.stock.every((s) => s.available === 0)).toBe(true);
  });

  it('points a recorded definition of another account and stage at the local functions', () => {
    const today = '{"Resource":"arn:aws:lambda:eu-west-1:000000000000:function:order-local-confirmOrder"}';
    const prod = '{"A":{"Resource":"arn:aws:lambda:eu-central-1:123456789012:function:inventory-prod-reserve"},"B":{"Resource":"arn:aws:lambda:eu-central-1:123456789012:function:order-prod-confirmOrder"}}';
    expect(localizeDefinition(prod, today, 'local')).toBe(
      '{"A":{"Resource":"arn:aws:lambda:eu-west-1:000000000000:function:inventory-local-reserve"},"B":{"Resource":"arn:aws:lambda:eu-west-1:000000000000:function:order-local-confirmOrder"}}',
    );
  });
});

describe('compareRuns', () => {
  it('marks the first state where the runs part, and orders the replay-only states after their predecessor', () => {
    const comparison = compareRuns(run('saga-compensated'), run('saga-succeeded'));
    const first = comparison.states.find((s) => s.firstDivergence)!;
    expect(comparison.divergence?.state).toBe(first.name);
    expect(comparison.states.filter((s) => s.firstDivergence)).toHaveLength(1);
    const names = comparison.states.map((s) => s.name);
    expect(names.indexOf('OrderConfirmed')).toBeGreaterThan(names.indexOf('ConfirmOrder'));
    const confirmed = comparison.states.find((s) => s.name === 'OrderConfirmed')!;
    expect(confirmed.original.entered).toBe(false);
    expect(confirmed.replay).toMatchObject({ entered: true, status: 'succeeded' });
    // Compensations only the original ran: entered there, not in the replay.
    expect(comparison.states.filter((s) => s.compensation).every((s) => s.original.entered && !s.replay.entered)).toBe(true);
  });

  it('finds no divergence between two runs that went the same way', () => {
    const comparison = compareRuns(run('saga-declined'), run('saga-declined'));
    expect(comparison.divergence).toBeNull();
    expect(comparison.states.every((s) => s.same)).toBe(true);
  });

  it('says whether a run ended as expected: its status, or the state it ended in', () => {
    const comparison = compareRuns(run('saga-declined'), run('saga-succeeded'));
    expect(endedAs(comparison.replay, 'SUCCEEDED')).toBe(true);
    expect(endedAs(comparison.replay, 'succeeded')).toBe(true);
    expect(endedAs(comparison.replay, 'FAILED')).toBe(false);
    expect(endedAs(comparison.replay, 'OrderConfirmed')).toBe(true);
    expect(endedAs(comparison.original, 'OrderFailed')).toBe(true);
  });
});
