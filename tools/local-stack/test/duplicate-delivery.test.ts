import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FaultSource } from '@order-platform/shared/lambda/fault-injection';
import { withDuplicateDelivery } from '../src/pollers/duplicate-delivery';
import type { InvocationOutcome } from '../src/pollers/function-invoker';

function faults(config: unknown) {
  const dir = mkdtempSync(path.join(tmpdir(), 'faults-'));
  const file = path.join(dir, 'faults.json');
  writeFileSync(file, JSON.stringify(config));
  return new FaultSource(file);
}

const batch = { Records: [{ messageId: 'm-1' }, { messageId: 'm-2' }] };

test('a delivered batch is delivered again when the faults file says so, and the copy is logged', async () => {
  const source = faults({ 'notification-local-consume': { duplicate: 1 } });
  const events: unknown[] = [];
  const invoke = withDuplicateDelivery(async (_fn, event) => {
    events.push(event);
    return { payload: { batchItemFailures: [] } };
  }, source);
  const outcome = await invoke('notification-local-consume', batch);
  expect(outcome).toEqual({ payload: { batchItemFailures: [] } });
  expect(events).toEqual([batch, batch]);
  const log = readFileSync(source.logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  expect(log).toEqual([expect.objectContaining({ functionName: 'notification-local-consume', kind: 'duplicate', ref: 'm-1,m-2' })]);
});

test('no copy without a duplicate probability, for a failed invocation, or for an async one', async () => {
  const calls: string[] = [];
  const record = (outcome: InvocationOutcome) => async (fn: string) => {
    calls.push(fn);
    return outcome;
  };
  await withDuplicateDelivery(record({ payload: null }), faults({ other: { duplicate: 1 } }))('f', batch);
  await withDuplicateDelivery(record({ payload: null, functionError: 'Unhandled' }), faults({ g: { duplicate: 1 } }))('g', batch);
  await withDuplicateDelivery(record({ payload: null }), faults({ h: { duplicate: 1 } }))('h', batch, { async: true });
  expect(calls).toEqual(['f', 'g', 'h']);
});
