import '../support/env';
import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { RESERVED_SHARDS, reservedShardOf } from '../../src/adapters/dynamodb';
import { SWEEP_CHECKPOINT_KEY } from '../../src/adapters/dynamo-inventory-repository';
import { handler, SWEEP_ENTRIES_PER_SHARD } from '../../src/handlers/releaseExpired';
import { rejected } from '../support/caught';
import { lambdaContext, transactionCancelled } from '../support/lambda';

const db = mockClient(DynamoDBDocumentClient);
const addMetric = jest.spyOn(Metrics.prototype, 'addMetric');
const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} } as unknown as ScheduledEvent;
const createdAt = '2026-03-01T10:00:00.000Z';
const reservation = (orderId: string, status: string) => ({
  Item: {
    orderId,
    status,
    lines: [{ sku: 'A', quantity: 1, unitPrice: 100, currency: 'EUR' }],
    total: { amount: 100, currency: 'EUR' },
    createdAt,
    updatedAt: createdAt,
  },
});
const MINUTE = 60_000;

/**
 * The reservedByShard index holding these orders (o-1 the oldest), each under its own shard, and
 * the statuses the sweeper's eventually consistent read sees.
 */
const indexHolds = (statuses: Record<string, string>) => {
  const orderIds = Object.keys(statuses);
  db.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({
    Items: orderIds
      .filter((orderId) => reservedShardOf(orderId) === input.ExpressionAttributeValues[':shard'])
      .map((orderId) => ({ orderId, statusShard: reservedShardOf(orderId), createdAt: `2026-03-01T09:0${orderIds.indexOf(orderId)}:00.000Z` })),
  }));
  db.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { orderId: string }[] }> }) => ({
    Responses: Object.fromEntries(
      Object.entries(input.RequestItems).map(([table, { Keys }]) => [table, Keys.map(({ orderId }) => ({ orderId, status: statuses[orderId] }))]),
    ),
  }));
};

beforeEach(() => {
  db.reset();
  addMetric.mockClear();
  db.on(GetCommand, { Key: { orderId: SWEEP_CHECKPOINT_KEY } }).resolves({});
  db.on(UpdateCommand).resolves({});
});

test('releases RESERVED reservations older than RESERVATION_MAX_AGE_MINUTES, counts and reports them', async () => {
  indexHolds({ 'o-1': 'RESERVED', 'o-2': 'RESERVED', 'o-3': 'SHIPPED' });
  db.on(GetCommand, { Key: { orderId: 'o-1' } }).resolves(reservation('o-1', 'RESERVED'));
  // o-2 was shipped by its saga after the window was read: the consistent re-read leaves it alone.
  db.on(GetCommand, { Key: { orderId: 'o-2' } }).resolves(reservation('o-2', 'SHIPPED'));
  db.on(TransactWriteCommand).resolves({});

  const before = Date.now();
  const report = await handler(scheduled, lambdaContext('inventory-test-releaseExpired'));
  const after = Date.now();

  // o-3 was SHIPPED when the window was read: examined, never re-read.
  expect(report).toEqual({ examined: 3, found: 2, released: 1, skipped: 1, deferred: 0, failed: [] });
  expect(db).not.toHaveReceivedCommandWith(GetCommand, { Key: { orderId: 'o-3' } });
  // Every shard of the index, each for at most SWEEP_ENTRIES_PER_SHARD.
  expect(db).toHaveReceivedCommandTimes(QueryCommand, RESERVED_SHARDS);
  const query = db.commandCalls(QueryCommand)[0]!.args[0].input;
  expect(query).toMatchObject({ IndexName: 'reservedByShard', Limit: SWEEP_ENTRIES_PER_SHARD, ExpressionAttributeValues: { ':shard': 'RESERVED#0' } });
  const cutoff = Date.parse(String(query.ExpressionAttributeValues![':before']));
  expect(cutoff).toBeGreaterThanOrEqual(before - 30 * MINUTE);
  expect(cutoff).toBeLessThanOrEqual(after - 30 * MINUTE);
  expect(db).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  expect(db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Update!.Key).toEqual({ orderId: 'o-1' });
  expect(addMetric).toHaveBeenCalledWith('ExpiredReservationsReleased', 'Count', 1);
  expect(addMetric).toHaveBeenCalledWith('ExpiredReservationReleaseFailures', 'Count', 0);
  // The three are examined: each shard's checkpoint moves to its entry.
  const checkpoint = db.commandCalls(UpdateCommand).find((call) => call.args[0].input.Key?.orderId === SWEEP_CHECKPOINT_KEY)!.args[0].input;
  expect(Object.values(checkpoint.ExpressionAttributeNames!).sort()).toEqual(['o-1', 'o-2', 'o-3'].map((orderId) => reservedShardOf(orderId)).sort());
});

test('nothing expired: an empty report, and no checkpoint written', async () => {
  db.on(QueryCommand).resolves({ Items: [] });
  expect(await handler(scheduled, lambdaContext('inventory-test-releaseExpired'))).toEqual({
    examined: 0,
    found: 0,
    released: 0,
    skipped: 0,
    deferred: 0,
    failed: [],
  });
  expect(db).not.toHaveReceivedCommand(UpdateCommand);
});

test('releases what it can, then fails the run naming the ones it could not (the next run retries them)', async () => {
  indexHolds({ 'o-1': 'RESERVED', 'o-2': 'RESERVED' });
  db.on(GetCommand, { Key: { orderId: 'o-1' } }).resolves(reservation('o-1', 'RESERVED'));
  db.on(GetCommand, { Key: { orderId: 'o-2' } }).resolves(reservation('o-2', 'RESERVED'));
  db.on(TransactWriteCommand)
    .rejectsOnce(transactionCancelled('None', 'ConditionalCheckFailed')) // o-1: counters inconsistent
    .resolves({});
  const error = await rejected(handler(scheduled, lambdaContext('inventory-test-releaseExpired')));
  expect(error.message).toBe('1 expired reservation(s) could not be released: o-1');
  expect(addMetric).toHaveBeenCalledWith('ExpiredReservationsReleased', 'Count', 1);
  expect(addMetric).toHaveBeenCalledWith('ExpiredReservationReleaseFailures', 'Count', 1);
  // o-1's shard keeps its checkpoint before o-1; o-2's moves past o-2.
  const checkpoint = db.commandCalls(UpdateCommand).find((call) => call.args[0].input.Key?.orderId === SWEEP_CHECKPOINT_KEY)!.args[0].input;
  expect(Object.values(checkpoint.ExpressionAttributeNames!)).toEqual([reservedShardOf('o-2')]);
});

test('leaves the rest for the next run when the function is about to time out', async () => {
  indexHolds({ 'o-1': 'RESERVED', 'o-2': 'RESERVED' });
  const report = await handler(scheduled, lambdaContext('inventory-test-releaseExpired', 1_000));
  expect(report).toEqual({ examined: 2, found: 2, released: 0, skipped: 0, deferred: 2, failed: [] });
  expect(db).not.toHaveReceivedCommandWith(GetCommand, { Key: { orderId: 'o-1' } });
  expect(db).not.toHaveReceivedCommand(UpdateCommand);
});
