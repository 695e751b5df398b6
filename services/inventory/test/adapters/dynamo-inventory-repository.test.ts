import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '@order-platform/shared';
import { DynamoInventoryRepository, SWEEP_CHECKPOINT_KEY } from '../../src/adapters/dynamo-inventory-repository';
import { createDocumentClient, expiresAtFor, FINISHED_RECORD_RETENTION_DAYS } from '@order-platform/shared/aws/dynamodb';
import { RESERVED_SHARDS, reservedShardOf, reservedShards } from '../../src/adapters/dynamodb';
import { newReservation, shipTransition, StockMoves, type Reservation } from '../../src/domain/reservation';
import { rejected } from '../support/caught';

const db = mockClient(DynamoDBDocumentClient);
const tables = { stock: 'inventory-test-stock', reservations: 'inventory-test-reservations', reservedByShard: 'reservedByShard' };
const waits: number[] = [];
const store = new DynamoInventoryRepository(createDocumentClient(), tables, async (attempt) => waits.push(attempt));

const at = '2026-03-01T10:00:00.000Z';
const reservation: Reservation = newReservation(
  'o-1',
  {
    lines: [
      { sku: 'A', quantity: 2, unitPrice: 500, currency: 'EUR' },
      { sku: 'B', quantity: 1, unitPrice: 250, currency: 'EUR' },
    ],
    total: { amount: 1250, currency: 'EUR' },
  },
  at,
);

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => {
  db.reset();
  waits.length = 0;
});

describe('loadCatalogue', () => {
  test('reads price and currency of the SKUs in one eventually consistent BatchGetItem (no read of the reservation)', async () => {
    db.on(BatchGetCommand).resolves({
      Responses: {
        [tables.stock]: [
          { sku: 'A', price: 500, currency: 'EUR' },
          { sku: 'B', price: 250, currency: 'EUR' },
        ],
      },
    });
    expect(await store.loadCatalogue(['A', 'B', 'C'])).toEqual(
      new Map([
        ['A', { sku: 'A', price: 500, currency: 'EUR' }],
        ['B', { sku: 'B', price: 250, currency: 'EUR' }],
      ]),
    );
    expect(db).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        [tables.stock]: { Keys: [{ sku: 'A' }, { sku: 'B' }, { sku: 'C' }], ProjectionExpression: 'sku, price, currency' },
      },
    });
  });

  test('asks again for unprocessed keys, waiting a little longer each time', async () => {
    db.on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [tables.stock]: [{ sku: 'A', price: 500, currency: 'EUR' }] },
        UnprocessedKeys: { [tables.stock]: { Keys: [{ sku: 'B' }] } },
      })
      .resolvesOnce({ Responses: { [tables.stock]: [{ sku: 'B', price: 250, currency: 'EUR' }] } });
    const catalogue = await store.loadCatalogue(['A', 'B']);
    expect([...catalogue.keys()]).toEqual(['A', 'B']);
    expect(db).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    expect(db.commandCalls(BatchGetCommand)[1]!.args[0].input.RequestItems).toEqual({ [tables.stock]: { Keys: [{ sku: 'B' }] } });
    expect(waits).toEqual([1]);
  });

  test('keys that stay unprocessed are transient', async () => {
    db.on(BatchGetCommand).resolves({ Responses: {}, UnprocessedKeys: { [tables.stock]: { Keys: [{ sku: 'A' }] } } });
    expect(await rejected(store.loadCatalogue(['A']))).toBeInstanceOf(TransientError);
    expect(db).toHaveReceivedCommandTimes(BatchGetCommand, 5);
  });

  test('a malformed catalogue entry fails loudly', async () => {
    db.on(BatchGetCommand).resolves({ Responses: { [tables.stock]: [{ sku: 'A', price: 'free' }] } });
    // zod/mini's parse throws zod core's error, named "$ZodError" (classic's subclass was "ZodError"):
    // a defect, not a TransientError or a business error, so the saga does not retry it.
    const error = await rejected(store.loadCatalogue(['A']));
    expect(error.name).toBe('$ZodError');
    expect(error).not.toBeInstanceOf(TransientError);
  });
});

describe('findReservation', () => {
  test('is a consistent GetItem; absent is undefined', async () => {
    db.on(GetCommand).resolvesOnce({ Item: reservation }).resolvesOnce({});
    expect(await store.findReservation('o-1')).toEqual(reservation);
    expect(await store.findReservation('o-2')).toBeUndefined();
    expect(db).toHaveReceivedCommandWith(GetCommand, { TableName: tables.reservations, Key: { orderId: 'o-1' }, ConsistentRead: true });
  });
});

describe('createReservation', () => {
  test('one transaction: the reservation put if absent, then available -> held per line if there is enough', async () => {
    db.on(TransactWriteCommand).resolves({});
    expect(await store.createReservation(reservation)).toEqual({ kind: 'applied' });
    expect(db).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: tables.reservations,
            // In the sweeper's index under the order's shard (for good), with no TTL while RESERVED.
            Item: { ...reservation, statusShard: reservedShardOf('o-1') },
            ConditionExpression: 'attribute_not_exists(orderId)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        ...[
          ['A', 2],
          ['B', 1],
        ].map(([sku, q]) => ({
          Update: {
            TableName: tables.stock,
            Key: { sku },
            UpdateExpression: 'SET #from = #from - :q, #to = #to + :q, updatedAt = :at',
            ConditionExpression: 'attribute_exists(sku) AND #from >= :q',
            ExpressionAttributeNames: { '#from': 'available', '#to': 'held' },
            ExpressionAttributeValues: { ':q': q, ':at': at },
          },
        })),
      ],
    });
  });

  test('a failed stock condition names the SKUs that lack stock', async () => {
    db.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'None'));
    expect(await store.createReservation(reservation)).toEqual({ kind: 'insufficient', skus: ['A'] });
  });

  test('an existing reservation is a conflict carrying the stored item (unmarshalled)', async () => {
    const error = cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed', 'None');
    error.CancellationReasons![0]!.Item = marshall({ ...reservation, status: 'SHIPPED', shipmentId: 'shp_o-1', shippedAt: at });
    db.on(TransactWriteCommand).rejects(error);
    expect(await store.createReservation(reservation)).toEqual({
      kind: 'conflict',
      current: { ...reservation, status: 'SHIPPED', shipmentId: 'shp_o-1', shippedAt: at },
    });
  });

  test('an existing reservation without the item (older emulators) is a bare conflict', async () => {
    db.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));
    expect(await store.createReservation(reservation)).toEqual({ kind: 'conflict' });
  });

  test.each(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded'])(
    'a transaction cancelled by %s is transient',
    async (code) => {
      db.on(TransactWriteCommand).rejects(cancelled('None', code, 'None'));
      const error = await rejected(store.createReservation(reservation));
      expect(error).toBeInstanceOf(TransientError);
      expect(error.message).toContain(code);
    },
  );

  test('any other cancellation (a validation error) is rethrown as is', async () => {
    const error = cancelled('ValidationError', 'None', 'None');
    db.on(TransactWriteCommand).rejects(error);
    expect(await rejected(store.createReservation(reservation))).toBe(error);
  });

  test('other SDK errors are rethrown for the step handler to classify', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    db.on(TransactWriteCommand).rejects(throttled);
    expect(await rejected(store.createReservation(reservation))).toBe(throttled);
  });
});

describe('applyTransition', () => {
  const lines = [{ sku: 'A', quantity: 2 }];

  test('ship: one conditional UpdateItem of the reservation alone (no transaction, no stock), only from RESERVED', async () => {
    db.on(UpdateCommand).resolves({});
    expect(await store.applyTransition(shipTransition('o-1', at))).toEqual({ kind: 'applied' });
    expect(db).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
    expect(db).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: tables.reservations,
      Key: { orderId: 'o-1' },
      // Onto the TTL clock (expiresAt); statusShard stays, so the sweep index is not written.
      UpdateExpression: 'SET #status = :to, updatedAt = :at, expiresAt = :expiresAt, shipmentId = :shipmentId, shippedAt = :shippedAt',
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':from': 'RESERVED', ':to': 'SHIPPED', ':at': at, ':expiresAt': expiresAtFor(at), ':shipmentId': 'shp_o-1', ':shippedAt': at },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  test('ship refused: a conflict carrying the stored reservation, or a bare one when there is none', async () => {
    const refused = (item?: Record<string, unknown>) =>
      Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', ...(item ? { Item: marshall(item) } : {}) });
    const shipped = { ...reservation, status: 'SHIPPED', shipmentId: 'shp_o-1', shippedAt: at };
    db.on(UpdateCommand).rejectsOnce(refused(shipped)).rejectsOnce(refused());
    expect(await store.applyTransition(shipTransition('o-1', at))).toEqual({ kind: 'conflict', current: shipped });
    expect(await store.applyTransition(shipTransition('o-1', at))).toEqual({ kind: 'conflict' });
  });

  test('release: a transaction that records when and moves held -> available, from RESERVED or SHIPPED', async () => {
    db.on(TransactWriteCommand).resolves({});
    await store.applyTransition({ orderId: 'o-1', from: 'SHIPPED', to: 'RELEASED', move: StockMoves.release, lines, at });
    const [reservationUpdate, stockUpdate] = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(reservationUpdate!.Update!.UpdateExpression).toBe('SET #status = :to, updatedAt = :at, expiresAt = :expiresAt, releasedAt = :at');
    expect(reservationUpdate!.Update!.ExpressionAttributeValues).toEqual({ ':from': 'SHIPPED', ':to': 'RELEASED', ':at': at, ':expiresAt': expiresAtFor(at) });
    expect(reservationUpdate!.Update!.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    expect(stockUpdate!.Update).toMatchObject({
      Key: { sku: 'A' },
      ConditionExpression: 'attribute_exists(sku) AND #from >= :q',
      ExpressionAttributeNames: { '#from': 'held', '#to': 'available' },
      ExpressionAttributeValues: { ':q': 2, ':at': at },
    });
  });

  test('a reservation no longer in `from` is a conflict (with the stored one when returned); counters too low are insufficient', async () => {
    const stale = cancelled('ConditionalCheckFailed', 'None');
    stale.CancellationReasons![0]!.Item = marshall({ ...reservation, status: 'RELEASED', releasedAt: at });
    db.on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None'))
      .rejectsOnce(stale)
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed'));
    const transition = { orderId: 'o-1', from: 'RESERVED' as const, to: 'RELEASED' as const, move: StockMoves.release, lines, at };
    expect(await store.applyTransition(transition)).toEqual({ kind: 'conflict' });
    expect(await store.applyTransition(transition)).toEqual({ kind: 'conflict', current: { ...reservation, status: 'RELEASED', releasedAt: at } });
    expect(await store.applyTransition(transition)).toEqual({ kind: 'insufficient', skus: ['A'] });
  });
});

describe('createTombstone', () => {
  const tomb: Reservation = { orderId: 'o-1', status: 'RELEASED', lines: [], createdAt: at, updatedAt: at, releasedAt: at };

  test('puts the tombstone only if the order has no reservation', async () => {
    db.on(PutCommand).resolves({});
    expect(await store.createTombstone(tomb)).toEqual({ kind: 'applied' });
    // A tombstone is finished from the start: it expires FINISHED_RECORD_RETENTION_DAYS after it was written.
    expect(db).toHaveReceivedCommandWith(PutCommand, {
      TableName: tables.reservations,
      Item: { ...tomb, expiresAt: Date.parse(at) / 1000 + FINISHED_RECORD_RETENTION_DAYS * 86_400 },
      ConditionExpression: 'attribute_not_exists(orderId)',
    });
  });

  test('an existing reservation is a conflict; other errors are rethrown', async () => {
    const boom = new Error('boom');
    db.on(PutCommand)
      .rejectsOnce(Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' }))
      .rejectsOnce(boom);
    expect(await store.createTombstone(tomb)).toEqual({ kind: 'conflict' });
    expect(await rejected(store.createTombstone(tomb))).toBe(boom);
  });
});

describe('the sweep window', () => {
  const shardOf = (input: unknown) => (input as { ExpressionAttributeValues: Record<string, string> }).ExpressionAttributeValues[':shard'];

  test('queries every shard after its checkpoint and before the cut-off, then reads the statuses eventually', async () => {
    db.on(GetCommand).resolves({
      Item: { orderId: SWEEP_CHECKPOINT_KEY, 'RESERVED#7': { createdAt: '2026-01-01T00:00:00.000Z', orderId: 'o-0' } },
    });
    db.on(QueryCommand).resolves({ Items: [] });
    db.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'RESERVED#7' } })
      .resolvesOnce({
        Items: [{ orderId: 'o-1', createdAt: '2026-01-01T00:00:01.000Z' }, { orderId: 'o-3', createdAt: '2026-01-01T00:00:03.000Z' }],
        LastEvaluatedKey: { orderId: 'o-3', statusShard: 'RESERVED#7', createdAt: '2026-01-01T00:00:03.000Z' },
      })
      .resolvesOnce({ Items: [{ orderId: 'o-4', createdAt: '2026-01-01T00:00:04.000Z' }], LastEvaluatedKey: { orderId: 'o-4' } });
    db.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'RESERVED#63' } }).resolves({ Items: [{ orderId: 'o-2', createdAt: '2026-01-01T00:00:02.000Z' }] });
    db.on(BatchGetCommand).resolves({
      Responses: { [tables.reservations]: [{ orderId: 'o-1', status: 'RESERVED' }, { orderId: 'o-2', status: 'SHIPPED' }, { orderId: 'o-3', status: 'RELEASED' }] },
    });

    const window = await store.readSweepWindow(at, 3);
    // Oldest first; o-4 (shard 7's third entry) is read but its status is not found: undefined.
    expect(window).toEqual({
      entries: [
        { orderId: 'o-1', createdAt: '2026-01-01T00:00:01.000Z', shard: 'RESERVED#7', status: 'RESERVED' },
        { orderId: 'o-2', createdAt: '2026-01-01T00:00:02.000Z', shard: 'RESERVED#63', status: 'SHIPPED' },
        { orderId: 'o-3', createdAt: '2026-01-01T00:00:03.000Z', shard: 'RESERVED#7', status: 'RELEASED' },
        { orderId: 'o-4', createdAt: '2026-01-01T00:00:04.000Z', shard: 'RESERVED#7', status: undefined },
      ],
      more: true,
    });
    expect(db).toHaveReceivedCommandWith(GetCommand, { TableName: tables.reservations, Key: { orderId: SWEEP_CHECKPOINT_KEY }, ConsistentRead: true });
    expect(new Set(db.commandCalls(QueryCommand).map((call) => shardOf(call.args[0].input)))).toEqual(new Set(reservedShards()));
    expect(db).toHaveReceivedCommandTimes(QueryCommand, RESERVED_SHARDS + 1);
    // The checkpoint is the first page's exclusive start.
    expect(db).toHaveReceivedCommandWith(QueryCommand, {
      TableName: tables.reservations,
      IndexName: 'reservedByShard',
      KeyConditionExpression: 'statusShard = :shard AND createdAt < :before',
      ExpressionAttributeValues: { ':shard': 'RESERVED#7', ':before': at },
      Limit: 3,
      ExclusiveStartKey: { statusShard: 'RESERVED#7', createdAt: '2026-01-01T00:00:00.000Z', orderId: 'o-0' },
    });
    expect(db).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':shard': 'RESERVED#7', ':before': at },
      Limit: 1,
      ExclusiveStartKey: { orderId: 'o-3', statusShard: 'RESERVED#7', createdAt: '2026-01-01T00:00:03.000Z' },
    });
    expect(db).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        [tables.reservations]: {
          Keys: [{ orderId: 'o-1' }, { orderId: 'o-3' }, { orderId: 'o-4' }, { orderId: 'o-2' }],
          ProjectionExpression: 'orderId, #status',
          ExpressionAttributeNames: { '#status': 'status' },
        },
      },
    });
  });

  test('no checkpoint yet: each shard from its start; the statuses in requests of 100 keys', async () => {
    db.on(GetCommand).resolves({});
    db.on(QueryCommand).resolves({ Items: [] });
    const many = Array.from({ length: 150 }, (_, i) => ({ orderId: `o-${String(i).padStart(3, '0')}`, createdAt: at }));
    db.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'RESERVED#0' } }).resolves({ Items: many });
    db.on(BatchGetCommand).resolves({ Responses: { [tables.reservations]: [] } });
    const window = await store.readSweepWindow('2026-03-02T00:00:00.000Z', 500);
    expect(window.entries).toHaveLength(150);
    expect(window.more).toBe(false);
    expect(db.commandCalls(QueryCommand).every((call) => call.args[0].input.ExclusiveStartKey === undefined)).toBe(true);
    expect(db.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems![tables.reservations]!.Keys!.length)).toEqual([100, 50]);
  });

  test('a shard whose checkpoint is past the cut-off (the max age was raised) is not queried', async () => {
    db.on(GetCommand).resolves({ Item: { orderId: SWEEP_CHECKPOINT_KEY, 'RESERVED#7': { createdAt: '2026-03-01T10:30:00.000Z', orderId: 'o-9' } } });
    db.on(QueryCommand).resolves({ Items: [] });
    db.on(BatchGetCommand).resolves({ Responses: {} });
    expect(await store.readSweepWindow(at, 10)).toEqual({ entries: [], more: false });
    expect(db).toHaveReceivedCommandTimes(QueryCommand, RESERVED_SHARDS - 1);
    expect(db).not.toHaveReceivedCommandWith(QueryCommand, { ExpressionAttributeValues: { ':shard': 'RESERVED#7', ':before': at } });
  });

  test('saves, per shard, the last examined entry as its checkpoint, in one UpdateItem', async () => {
    db.on(UpdateCommand).resolves({});
    await store.saveSweepProgress([
      { orderId: 'o-1', createdAt: '2026-01-01T00:00:01.000Z', shard: 'RESERVED#7' },
      { orderId: 'o-2', createdAt: '2026-01-01T00:00:02.000Z', shard: 'RESERVED#63' },
      { orderId: 'o-3', createdAt: '2026-01-01T00:00:03.000Z', shard: 'RESERVED#7' },
    ]);
    expect(db).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: tables.reservations,
      Key: { orderId: SWEEP_CHECKPOINT_KEY },
      UpdateExpression: 'SET #s0 = :s0, #s1 = :s1',
      ExpressionAttributeNames: { '#s0': 'RESERVED#7', '#s1': 'RESERVED#63' },
      ExpressionAttributeValues: {
        ':s0': { createdAt: '2026-01-01T00:00:03.000Z', orderId: 'o-3' },
        ':s1': { createdAt: '2026-01-01T00:00:02.000Z', orderId: 'o-2' },
      },
    });
    await store.saveSweepProgress([]);
    expect(db).toHaveReceivedCommandTimes(UpdateCommand, 1);
  });
});

describe('reservedShardOf', () => {
  test('spreads order ids evenly over RESERVED_SHARDS keys, always the same key for an order', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 64_000; i++) {
      const shard = reservedShardOf(`ord_${i.toString(36).padStart(8, '0')}x${(i * 7919).toString(16)}`);
      counts.set(shard, (counts.get(shard) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(reservedShards().sort());
    // 1,000 expected per shard: none takes more than 1.2x its share.
    expect(Math.max(...counts.values())).toBeLessThan(1_200);
    expect(reservedShardOf('ord_abc')).toBe(reservedShardOf('ord_abc'));
  });
});

