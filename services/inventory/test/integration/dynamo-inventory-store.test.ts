import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { expiresAtFor } from '@order-platform/shared/aws/dynamodb';
import { TransientError } from '@order-platform/shared';
import { DynamoInventoryRepository } from '../../src/adapters/dynamo-inventory-repository';
import { DynamoStockRepository } from '../../src/adapters/dynamo-stock-repository';
import { OutOfStock, ReservationReleased, ShippingFailed } from '../../src/domain/errors';
import { Inventory } from '../../src/domain/inventory';
import { newReservation, shipTransition, StockMoves } from '../../src/domain/reservation';
import { rejected } from '../support/caught';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';

/*
 * The adapter against real DynamoDB semantics (DynamoDB Local): condition expressions, transaction
 * cancellation reasons, ReturnValuesOnConditionCheckFailure and the sweeper's reservedByShard index and checkpoints, which the
 * mocked unit tests can only describe. Run with `npm run test:dynamodb -w services/inventory`.
 */

jest.setTimeout(60_000);

const stage = 'it';
const tables = { stock: `inventory-${stage}-stock`, reservations: `inventory-${stage}-reservations`, reservedByShard: 'reservedByShard' };
let local: DynamoDbLocal;
let db: DynamoDBDocumentClient;
let store: DynamoInventoryRepository;
let stockTable: DynamoStockRepository;
let run = 0;
const at = '2026-03-01T10:00:00.000Z';

beforeAll(async () => {
  local = await startDynamoDbLocal(stage);
  db = DynamoDBDocumentClient.from(local.client, { marshallOptions: { removeUndefinedValues: true } });
  store = new DynamoInventoryRepository(db, tables);
  stockTable = new DynamoStockRepository(db, tables.stock);
});
afterAll(async () => local?.stop());

/** Fresh SKU and order names per test: the tables are shared by the whole file. */
function names() {
  run++;
  return { sku: (s: string) => `${s}-${run}`, order: (o: string) => `${o}-${run}` };
}

async function counters(sku: string) {
  const item = await stockTable.get(sku);
  return item && { available: item.available, held: item.held };
}

test('PUT semantics: created, then updated keeping what orders hold', async () => {
  const { sku } = names();
  expect((await stockTable.put(sku('A'), { price: 100, currency: 'EUR', available: 5 }, at)).created).toBe(true);
  await store.createReservation(newReservation('o-put', { lines: [{ sku: sku('A'), quantity: 2, unitPrice: 100, currency: 'EUR' }], total: { amount: 200, currency: 'EUR' } }, at));
  const updated = await stockTable.put(sku('A'), { price: 150, currency: 'EUR', available: 10 }, at);
  expect(updated).toEqual({ created: false, item: { sku: sku('A'), price: 150, currency: 'EUR', available: 10, held: 2, updatedAt: at } });
  expect(await stockTable.get(sku('A'))).toEqual(updated.item);
});

test('createReservation: applied, then a conflict carrying the stored reservation, then insufficient naming the SKUs', async () => {
  const { sku, order } = names();
  await stockTable.put(sku('A'), { price: 100, currency: 'EUR', available: 3 }, at);
  await stockTable.put(sku('B'), { price: 100, currency: 'EUR', available: 1 }, at);
  const reservation = newReservation(order('o'), { lines: [{ sku: sku('A'), quantity: 2, unitPrice: 100, currency: 'EUR' }], total: { amount: 200, currency: 'EUR' } }, at);

  expect(await store.createReservation(reservation)).toEqual({ kind: 'applied' });
  expect(await counters(sku('A'))).toEqual({ available: 1, held: 2 });

  // ReturnValuesOnConditionCheckFailure brings the stored reservation back with the cancellation.
  expect(await store.createReservation(reservation)).toEqual({ kind: 'conflict', current: reservation });

  const short = newReservation(
    order('short'),
    {
      lines: [
        { sku: sku('A'), quantity: 2, unitPrice: 100, currency: 'EUR' },
        { sku: sku('B'), quantity: 1, unitPrice: 100, currency: 'EUR' },
        { sku: sku('NOPE'), quantity: 1, unitPrice: 100, currency: 'EUR' },
      ],
      total: { amount: 400, currency: 'EUR' },
    },
    at,
  );
  expect(await store.createReservation(short)).toEqual({ kind: 'insufficient', skus: [sku('A'), sku('NOPE')] });
  expect(await store.findReservation(order('short'))).toBeUndefined();
  expect(await stockTable.get(sku('NOPE'))).toBeUndefined(); // the failed update created no partial item
  expect(await counters(sku('B'))).toEqual({ available: 1, held: 0 });
});

test('applyTransition only from the expected status, and never below zero', async () => {
  const { sku, order } = names();
  await stockTable.put(sku('A'), { price: 100, currency: 'EUR', available: 3 }, at);
  const lines = [{ sku: sku('A'), quantity: 2 }];
  const reservation = newReservation(order('o'), { lines: lines.map((l) => ({ ...l, unitPrice: 100, currency: 'EUR' })), total: { amount: 200, currency: 'EUR' } }, at);
  await store.createReservation(reservation);
  const ship = shipTransition(order('o'), at);

  // Shipping: one UpdateItem; refused the second time with the stored reservation (ALL_OLD on a plain UpdateItem).
  expect(await store.applyTransition(ship)).toEqual({ kind: 'applied' });
  const shipped = { ...reservation, status: 'SHIPPED', shipmentId: `shp_${order('o')}`, shippedAt: at, updatedAt: at };
  expect(await store.applyTransition(ship)).toEqual({ kind: 'conflict', current: shipped });
  expect(await counters(sku('A'))).toEqual({ available: 1, held: 2 });
  expect(await store.findReservation(order('o'))).toEqual(shipped);
  expect(await store.applyTransition(shipTransition(order('never'), at))).toEqual({ kind: 'conflict' });

  const tooMuch = { orderId: order('o'), from: 'SHIPPED' as const, to: 'RELEASED' as const, move: StockMoves.release, lines: [{ sku: sku('A'), quantity: 3 }], at };
  expect(await store.applyTransition(tooMuch)).toEqual({ kind: 'insufficient', skus: [sku('A')] });
  expect(await store.findReservation(order('o'))).toMatchObject({ status: 'SHIPPED' });
  // A stale `from` comes back with the stored reservation (ALL_OLD inside the transaction).
  const stale = { orderId: order('o'), from: 'RESERVED' as const, to: 'RELEASED' as const, move: StockMoves.release, lines, at };
  expect(await store.applyTransition(stale)).toEqual({ kind: 'conflict', current: shipped });
});

test('tombstones, the reservedByShard index written once, and the sweep checkpoints', async () => {
  const { sku, order } = names();
  await stockTable.put(sku('A'), { price: 100, currency: 'EUR', available: 10 }, at);
  const tomb = { orderId: order('t'), status: 'RELEASED' as const, lines: [], createdAt: at, updatedAt: at, releasedAt: at };
  expect(await store.createTombstone(tomb)).toEqual({ kind: 'applied' });
  expect(await store.createTombstone(tomb)).toEqual({ kind: 'conflict' });

  const priced = { lines: [{ sku: sku('A'), quantity: 1, unitPrice: 100, currency: 'EUR' }], total: { amount: 100, currency: 'EUR' } };
  const old = ['old1', 'old2', 'old3'].map((name, i) => newReservation(order(name), priced, `2000-01-01T00:00:0${i}.000Z`));
  for (const reservation of old) await store.createReservation(reservation);
  await store.createReservation(newReservation(order('new'), priced, '2999-01-01T00:00:00.000Z'));
  const cutoff = '2001-01-01T00:00:00.000Z';
  const mine = <T extends { orderId: string }>(entries: T[]) => entries.filter((entry) => entry.orderId.endsWith(`-${run}`));

  // Shipping and releasing leave the index entry: the window still holds them, with their status.
  await store.applyTransition(shipTransition(order('old2'), at));
  const release = { orderId: order('old3'), from: 'RESERVED' as const, to: 'RELEASED' as const, move: StockMoves.release, lines: [{ sku: sku('A'), quantity: 1 }], at };
  expect(await store.applyTransition(release)).toEqual({ kind: 'applied' });
  const window = await store.readSweepWindow(cutoff, 100);
  expect(mine(window.entries).map(({ orderId, status }) => ({ orderId, status }))).toEqual([
    { orderId: order('old1'), status: 'RESERVED' },
    { orderId: order('old2'), status: 'SHIPPED' },
    { orderId: order('old3'), status: 'RELEASED' },
  ]);
  const stored = await db.send(new GetCommand({ TableName: tables.reservations, Key: { orderId: order('old3') }, ConsistentRead: true }));
  expect(stored.Item).toMatchObject({ status: 'RELEASED', expiresAt: expiresAtFor(at), statusShard: expect.stringMatching(/^RESERVED#\d+$/) });

  // A checkpoint at old1 (DynamoDB Local takes it as the query's ExclusiveStartKey): only old2 and old3 remain.
  await store.saveSweepProgress(window.entries.filter((entry) => entry.orderId === order('old1') || !entry.orderId.endsWith(`-${run}`)));
  const after = await store.readSweepWindow(cutoff, 100);
  expect(mine(after.entries).map((entry) => entry.orderId)).toEqual([order('old2'), order('old3')]);
  // Every examined entry saved: nothing is read twice.
  await store.saveSweepProgress(after.entries);
  expect((await store.readSweepWindow(cutoff, 100)).entries).toEqual([]);
  // The checkpoint item is no reservation.
  expect(await store.findReservation(order('t'))).toMatchObject({ status: 'RELEASED' });
});

test('the saga steps end to end on DynamoDB', async () => {
  const { sku, order } = names();
  const inventory = new Inventory(store);
  await stockTable.put(sku('A'), { price: 1999, currency: 'EUR', available: 5 }, at);
  await stockTable.put(sku('B'), { price: 500, currency: 'EUR', available: 5 }, at);
  const items = [{ sku: sku('A'), quantity: 2 }, { sku: sku('B'), quantity: 1 }, { sku: sku('A'), quantity: 1 }];

  const first = await inventory.reserve({ orderId: order('o'), items });
  expect(first).toEqual({
    duplicate: false,
    output: {
      lines: [
        { sku: sku('A'), quantity: 3, unitPrice: 1999, currency: 'EUR' },
        { sku: sku('B'), quantity: 1, unitPrice: 500, currency: 'EUR' },
      ],
      total: { amount: 6497, currency: 'EUR' },
    },
  });
  expect(await inventory.reserve({ orderId: order('o'), items })).toEqual({ duplicate: true, output: first.output });
  expect((await inventory.ship(order('o'))).output.shipmentId).toBe(`shp_${order('o')}`);
  expect(await counters(sku('A'))).toEqual({ available: 2, held: 3 });
  expect(await inventory.release(order('o'))).toEqual({ status: 'RELEASED' });
  expect(await counters(sku('A'))).toEqual({ available: 5, held: 0 });
  expect(await inventory.release(order('o'))).toEqual({ status: 'ALREADY_RELEASED' });
  expect(await rejected(inventory.ship(order('o')))).toBeInstanceOf(ShippingFailed);
  expect(await rejected(inventory.reserve({ orderId: order('o'), items }))).toBeInstanceOf(ReservationReleased);

  expect(await inventory.release(order('late'))).toEqual({ status: 'NOTHING_RESERVED' });
  expect(await rejected(inventory.reserve({ orderId: order('late'), items }))).toBeInstanceOf(ReservationReleased);
  expect(await counters(sku('A'))).toEqual({ available: 5, held: 0 });
});

test('a burst of concurrent orders never oversells', async () => {
  const { sku, order } = names();
  const inventory = new Inventory(store);
  await stockTable.put(sku('HOT'), { price: 100, currency: 'EUR', available: 10 }, at);
  const results = await Promise.allSettled(
    Array.from({ length: 25 }, (_, i) => inventory.reserve({ orderId: order(`o${i}`), items: [{ sku: sku('HOT'), quantity: 1 }] })),
  );
  const reserved = results.filter((r) => r.status === 'fulfilled').length;
  for (const r of results) if (r.status === 'rejected') expect(r.reason instanceof OutOfStock || r.reason instanceof TransientError).toBe(true);
  expect(reserved).toBeGreaterThan(0);
  expect(reserved).toBeLessThanOrEqual(10);
  expect(await counters(sku('HOT'))).toEqual({ available: 10 - reserved, held: reserved });
});
