import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '@order-platform/shared';
import { DynamoInventoryRepository } from '../../src/adapters/dynamo-inventory-repository';
import { createDocumentClient, expiresAtFor, FINISHED_RECORD_RETENTION_DAYS } from '@order-platform/shared/aws/dynamodb';
import { RESERVED_SHARDS, reservedShardOf, reservedShards } from '../../src/adapters/dynamodb';
import { newReservation, StockMoves, type Reservation } from '../../src/domain/reservation';
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

describe('loadForReserve', () => {
  test('reads the reservation (consistently) and the catalogue in one BatchGetItem', async () => {
    db.on(BatchGetCommand).resolves({
      Responses: {
        [tables.stock]: [
          { sku: 'A', price: 500, currency: 'EUR' },
          { sku: 'B', price: 250, currency: 'EUR' },
        ],
        [tables.reservations]: [],
      },
    });
    const loaded = await store.loadForReserve('o-1', ['A', 'B', 'C']);
    expect(loaded).toEqual({
      catalogue: new Map([
        ['A', { sku: 'A', price: 500, currency: 'EUR' }],
        ['B', { sku: 'B', price: 250, currency: 'EUR' }],
      ]),
    });
    expect(db).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        [tables.reservations]: { Keys: [{ orderId: 'o-1' }], ConsistentRead: true },
        [tables.stock]: { Keys: [{ sku: 'A' }, { sku: 'B' }, { sku: 'C' }], ProjectionExpression: 'sku, price, currency' },
      },
    });
  });

  test('returns the existing reservation', async () => {
    db.on(BatchGetCommand).resolves({ Responses: { [tables.reservations]: [reservation], [tables.stock]: [] } });
    expect((await store.loadForReserve('o-1', ['A'])).existing).toEqual(reservation);
  });

  test('asks again for unprocessed keys, waiting a little longer each time', async () => {
    db.on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [tables.stock]: [{ sku: 'A', price: 500, currency: 'EUR' }] },
        UnprocessedKeys: { [tables.stock]: { Keys: [{ sku: 'B' }] } },
      })
      .resolvesOnce({ Responses: { [tables.stock]: [{ sku: 'B', price: 250, currency: 'EUR' }] } });
    const loaded = await store.loadForReserve('o-1', ['A', 'B']);
    expect([...loaded.catalogue.keys()]).toEqual(['A', 'B']);
    expect(db).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    expect(db.commandCalls(BatchGetCommand)[1]!.args[0].input.RequestItems).toEqual({ [tables.stock]: { Keys: [{ sku: 'B' }] } });
    expect(waits).toEqual([1]);
  });

  test('keys that stay unprocessed are transient', async () => {
    db.on(BatchGetCommand).resolves({ Responses: {}, UnprocessedKeys: { [tables.stock]: { Keys: [{ sku: 'A' }] } } });
    expect(await rejected(store.loadForReserve('o-1', ['A']))).toBeInstanceOf(TransientError);
    expect(db).toHaveReceivedCommandTimes(BatchGetCommand, 5);
  });

  test('a malformed stored reservation fails loudly', async () => {
    db.on(BatchGetCommand).resolves({ Responses: { [tables.reservations]: [{ orderId: 'o-1', status: 'LOST' }] } });
    // zod/mini's parse throws zod core's error, named "$ZodError" (classic's subclass was "ZodError"):
    // a defect, not a TransientError or a business error, so the saga does not retry it.
    const error = await rejected(store.loadForReserve('o-1', ['A']));
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
  test('one transaction: the reservation put if absent, then available -> reserved per line if there is enough', async () => {
    db.on(TransactWriteCommand).resolves({});
    expect(await store.createReservation(reservation)).toEqual({ kind: 'applied' });
    expect(db).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: tables.reservations,
            // In the sweeper's sparse index under the order's shard, with no TTL while RESERVED.
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
            ExpressionAttributeNames: { '#from': 'available', '#to': 'reserved' },
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

  test('ship: status moves only from RESERVED, with the shipment, and reserved -> shipped', async () => {
    db.on(TransactWriteCommand).resolves({});
    const shipment = { shipmentId: 'shp_o-1', shippedAt: at };
    expect(
      await store.applyTransition({ orderId: 'o-1', from: 'RESERVED', to: 'SHIPPED', move: StockMoves.ship, lines, at, shipment }),
    ).toEqual({ kind: 'applied' });
    expect(db).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Update: {
            TableName: tables.reservations,
            Key: { orderId: 'o-1' },
            // Out of the sweeper's index (REMOVE statusShard), onto the TTL clock (expiresAt).
            UpdateExpression: 'SET #status = :to, updatedAt = :at, expiresAt = :expiresAt, shipmentId = :shipmentId, shippedAt = :shippedAt REMOVE statusShard',
            ConditionExpression: '#status = :from',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':from': 'RESERVED', ':to': 'SHIPPED', ':at': at, ':expiresAt': expiresAtFor(at), ':shipmentId': 'shp_o-1', ':shippedAt': at },
          },
        },
        {
          Update: expect.objectContaining({
            Key: { sku: 'A' },
            ConditionExpression: 'attribute_exists(sku) AND #from >= :q',
            ExpressionAttributeNames: { '#from': 'reserved', '#to': 'shipped' },
            ExpressionAttributeValues: { ':q': 2, ':at': at },
          }),
        },
      ],
    });
  });

  test('release: records when, and restocks from shipped when the move says so', async () => {
    db.on(TransactWriteCommand).resolves({});
    await store.applyTransition({ orderId: 'o-1', from: 'SHIPPED', to: 'RELEASED', move: StockMoves.restock, lines, at });
    const [reservationUpdate, stockUpdate] = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(reservationUpdate!.Update!.UpdateExpression).toBe('SET #status = :to, updatedAt = :at, expiresAt = :expiresAt, releasedAt = :at REMOVE statusShard');
    expect(reservationUpdate!.Update!.ExpressionAttributeValues).toEqual({ ':from': 'SHIPPED', ':to': 'RELEASED', ':at': at, ':expiresAt': expiresAtFor(at) });
    expect(stockUpdate!.Update!.ExpressionAttributeNames).toEqual({ '#from': 'shipped', '#to': 'available' });
  });

  test('a reservation no longer in `from` is a conflict; counters too low are insufficient', async () => {
    db.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).rejectsOnce(cancelled('None', 'ConditionalCheckFailed'));
    const transition = { orderId: 'o-1', from: 'RESERVED' as const, to: 'RELEASED' as const, move: StockMoves.release, lines, at };
    expect(await store.applyTransition(transition)).toEqual({ kind: 'conflict' });
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

describe('findReservedBefore', () => {
  const shardOf = (input: unknown) => (input as { ExpressionAttributeValues: Record<string, string> }).ExpressionAttributeValues[':shard'];

  test('queries every shard of the sparse reservedByShard index before the cut-off, page by page up to the limit', async () => {
    db.on(QueryCommand).resolves({ Items: [] });
    db.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'RESERVED#7' } })
      .resolvesOnce({ Items: [{ orderId: 'o-1', createdAt: '2026-01-01T00:00:01.000Z' }, { orderId: 'o-3', createdAt: '2026-01-01T00:00:03.000Z' }], LastEvaluatedKey: { orderId: 'o-3', statusShard: 'RESERVED#7', createdAt: at } })
      .resolvesOnce({ Items: [{ orderId: 'o-4', createdAt: '2026-01-01T00:00:04.000Z' }], LastEvaluatedKey: { orderId: 'o-4' } });
    db.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'RESERVED#63' } }).resolves({ Items: [{ orderId: 'o-2', createdAt: '2026-01-01T00:00:02.000Z' }] });
    // The oldest of all shards together.
    expect(await store.findReservedBefore(at, 3)).toEqual(['o-1', 'o-2', 'o-3']);
    expect(new Set(db.commandCalls(QueryCommand).map((call) => shardOf(call.args[0].input)))).toEqual(new Set(reservedShards()));
    expect(db).toHaveReceivedCommandTimes(QueryCommand, RESERVED_SHARDS + 1);
    expect(db).toHaveReceivedCommandWith(QueryCommand, {
      TableName: tables.reservations,
      IndexName: 'reservedByShard',
      KeyConditionExpression: 'statusShard = :shard AND createdAt < :before',
      ExpressionAttributeValues: { ':shard': 'RESERVED#7', ':before': at },
      Limit: 3,
    });
    expect(db).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':shard': 'RESERVED#7', ':before': at },
      Limit: 1,
      ExclusiveStartKey: { orderId: 'o-3', statusShard: 'RESERVED#7', createdAt: at },
    });
  });

  test('stops at the last page of each shard', async () => {
    db.on(QueryCommand).resolves({ Items: [] });
    db.on(QueryCommand, { ExpressionAttributeValues: { ':shard': 'RESERVED#0' } }).resolves({ Items: [{ orderId: 'o-1', createdAt: at }] });
    expect(await store.findReservedBefore(at, 100)).toEqual(['o-1']);
    expect(db).toHaveReceivedCommandTimes(QueryCommand, RESERVED_SHARDS);
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

