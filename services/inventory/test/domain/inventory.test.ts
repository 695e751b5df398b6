import { TransientError } from '@order-platform/shared';
import { CurrencyMismatch, InventoryInconsistent, OutOfStock, ReservationReleased, ShippingFailed } from '../../src/domain/errors';
import { Inventory, type InventoryRepository } from '../../src/domain/inventory';
import { rejected } from '../support/caught';
import { InMemoryInventoryRepository } from '../support/in-memory-inventory-repository';
import type { StockItem } from '../../src/domain/stock';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

function setup(stock: Partial<StockItem>[] = [{ sku: 'A', price: 500, available: 10 }, { sku: 'B', price: 250, available: 3 }]) {
  const store = new InMemoryInventoryRepository(stock);
  let tick = 0;
  // Each call of the clock is one second later: ordering in time is visible, nothing waits.
  const inventory = new Inventory(store, () => new Date(T0 + tick++ * 1000));
  const counters = (sku: string) => {
    const { available, held } = store.stock.get(sku)!;
    return { available, held };
  };
  return { store, inventory, counters };
}

/** Runs `action` once, just before the first call of `method`: a concurrent step landing between a read and a write. */
function interleave<K extends keyof InventoryRepository>(store: InMemoryInventoryRepository, method: K, action: () => Promise<unknown>) {
  const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
  let done = false;
  (store as unknown as Record<K, unknown>)[method] = async (...args: unknown[]) => {
    if (!done) {
      done = true;
      await action();
    }
    return original(...args);
  };
}

const order = (orderId: string, items = [{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 1 }]) => ({ orderId, items });

describe('reserve', () => {
  test('reserves every line at catalogue prices and moves available -> held', async () => {
    const { inventory, store, counters } = setup();
    const result = await inventory.reserve({ ...order('o-1'), executionArn: 'arn:exec:o-1' });
    expect(result).toEqual({
      duplicate: false,
      output: {
        lines: [
          { sku: 'A', quantity: 2, unitPrice: 500, currency: 'EUR' },
          { sku: 'B', quantity: 1, unitPrice: 250, currency: 'EUR' },
        ],
        total: { amount: 1250, currency: 'EUR' },
      },
    });
    expect(counters('A')).toEqual({ available: 8, held: 2 });
    expect(counters('B')).toEqual({ available: 2, held: 1 });
    expect(store.reservations.get('o-1')).toMatchObject({ status: 'RESERVED', executionArn: 'arn:exec:o-1', total: { amount: 1250 } });
  });

  test('lines of the same SKU are merged before stock is checked', async () => {
    const { inventory, counters } = setup();
    const error = await rejected(inventory.reserve(order('o-1', [{ sku: 'B', quantity: 2 }, { sku: 'B', quantity: 2 }])));
    expect(error).toBeInstanceOf(OutOfStock);
    expect(counters('B')).toEqual({ available: 3, held: 0 });
    const { output } = await inventory.reserve(order('o-2', [{ sku: 'B', quantity: 1 }, { sku: 'B', quantity: 2 }]));
    expect(output.lines).toEqual([{ sku: 'B', quantity: 3, unitPrice: 250, currency: 'EUR' }]);
  });

  test('all or nothing: one short line reserves nothing and every short SKU is named', async () => {
    const { inventory, store, counters } = setup([{ sku: 'A', available: 10 }, { sku: 'B', available: 1 }, { sku: 'C', available: 0 }]);
    const error = (await rejected(
      inventory.reserve(order('o-1', [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }, { sku: 'C', quantity: 1 }])),
    )) as OutOfStock;
    expect(error.name).toBe('OutOfStock');
    expect(error.skus).toEqual(['B', 'C']);
    expect(counters('A')).toEqual({ available: 10, held: 0 });
    expect(store.reservations.size).toBe(0);
  });

  test('an unknown SKU is out of stock and nothing is written', async () => {
    const { inventory, store } = setup();
    const error = (await rejected(inventory.reserve(order('o-1', [{ sku: 'A', quantity: 1 }, { sku: 'NOPE', quantity: 1 }])))) as OutOfStock;
    expect(error.skus).toEqual(['NOPE']);
    expect(store.reservations.size).toBe(0);
    expect(store.stock.get('A')!.available).toBe(10);
  });

  test('mixed currencies are refused before anything is written', async () => {
    const { inventory, store } = setup([{ sku: 'A', currency: 'EUR', available: 5 }, { sku: 'B', currency: 'USD', available: 5 }]);
    expect(await rejected(inventory.reserve(order('o-1')))).toBeInstanceOf(CurrencyMismatch);
    expect(store.reservations.size).toBe(0);
  });

  test('a repeated reserve answers the first result and moves stock once, even after a price change', async () => {
    const { inventory, store, counters } = setup();
    const first = await inventory.reserve(order('o-1'));
    store.stock.get('A')!.price = 9999;
    const second = await inventory.reserve(order('o-1'));
    expect(second).toEqual({ duplicate: true, output: first.output });
    expect(counters('A')).toEqual({ available: 8, held: 2 });
  });

  test('a repeated reserve after shipping still answers the first result', async () => {
    const { inventory } = setup();
    const first = await inventory.reserve(order('o-1'));
    await inventory.ship('o-1');
    expect((await inventory.reserve(order('o-1'))).output).toEqual(first.output);
  });

  test('a reserve after the compensation (or its tombstone) fails with ReservationReleased and holds nothing', async () => {
    const { inventory, counters } = setup();
    await inventory.reserve(order('o-1'));
    await inventory.release('o-1');
    expect((await rejected(inventory.reserve(order('o-1')))).name).toBe('ReservationReleased');
    await inventory.release('o-2'); // nothing reserved yet: tombstone
    expect(await rejected(inventory.reserve(order('o-2')))).toBeInstanceOf(ReservationReleased);
    expect(counters('A')).toEqual({ available: 10, held: 0 });
  });

  test('a concurrent duplicate that lands first makes this one answer its result', async () => {
    const { inventory, store, counters } = setup();
    interleave(store, 'createReservation', () => new Inventory(store).reserve(order('o-1')));
    const result = await inventory.reserve(order('o-1'));
    expect(result.duplicate).toBe(true);
    expect(result.output.total).toEqual({ amount: 1250, currency: 'EUR' });
    expect(counters('A')).toEqual({ available: 8, held: 2 });
  });

  test('a concurrent compensation (tombstone) that lands first makes this one fail', async () => {
    const { inventory, store, counters } = setup();
    interleave(store, 'createReservation', () => new Inventory(store).release('o-1'));
    expect(await rejected(inventory.reserve(order('o-1')))).toBeInstanceOf(ReservationReleased);
    expect(counters('A')).toEqual({ available: 10, held: 0 });
  });

  test('a conflict that does not carry the stored reservation reads it', async () => {
    const { inventory, store } = setup();
    const winner = await new Inventory(new InMemoryInventoryRepository([{ sku: 'A', available: 9 }, { sku: 'B', available: 9 }])).reserve(order('o-1'));
    store.createReservation = async (reservation) => {
      store.reservations.set('o-1', { ...reservation, ...winner.output }); // written by the other delivery
      return { kind: 'conflict' };
    };
    expect(await inventory.reserve(order('o-1'))).toEqual({ duplicate: true, output: winner.output });
  });

  test('a conflict whose reservation cannot be read yet is transient', async () => {
    const { inventory, store } = setup();
    store.createReservation = async () => ({ kind: 'conflict' });
    expect(await rejected(inventory.reserve(order('o-1')))).toBeInstanceOf(TransientError);
  });
});

describe('ship', () => {
  test('marks the reservation SHIPPED with a deterministic shipment id; the units stay held', async () => {
    const { inventory, store, counters } = setup();
    await inventory.reserve(order('o-1'));
    const result = await inventory.ship('o-1');
    expect(result).toEqual({ duplicate: false, output: { shipmentId: 'shp_o-1', shippedAt: expect.any(String) } });
    expect(counters('A')).toEqual({ available: 8, held: 2 });
    expect(store.reservations.get('o-1')).toMatchObject({ status: 'SHIPPED', shipmentId: 'shp_o-1', shippedAt: result.output.shippedAt });
  });

  test('a repeated ship answers the first shipment and moves stock once', async () => {
    const { inventory, counters } = setup();
    await inventory.reserve(order('o-1'));
    const first = await inventory.ship('o-1');
    expect(await inventory.ship('o-1')).toEqual({ duplicate: true, output: first.output });
    expect(counters('A')).toEqual({ available: 8, held: 2 });
  });

  const neverReserved = async (): Promise<void> => undefined;
  const reservedThenReleased = async (inventory: Inventory): Promise<void> => {
    await inventory.reserve(order('o-1'));
    await inventory.release('o-1');
  };
  test.each([
    ['never reserved', neverReserved, 'NOT_RESERVED'],
    ['released', reservedThenReleased, 'RELEASED'],
  ] as const)('%s cannot ship (ShippingFailed) and nothing moves', async (_name, arrange, reason) => {
    const { inventory, counters } = setup();
    await arrange(inventory);
    const error = (await rejected(inventory.ship('o-1'))) as ShippingFailed;
    expect(error).toBeInstanceOf(ShippingFailed);
    expect(error.reason).toBe(reason);
    expect(counters('A')).toEqual({ available: 10, held: 0 });
  });

  test('a compensation landing just before the write wins: the ship fails, nothing ships', async () => {
    const { inventory, store, counters } = setup();
    await inventory.reserve(order('o-1'));
    interleave(store, 'applyTransition', () => new Inventory(store).release('o-1'));
    expect(await rejected(inventory.ship('o-1'))).toBeInstanceOf(ShippingFailed);
    expect(counters('A')).toEqual({ available: 10, held: 0 });
  });

  test('shipping is one write of the reservation alone, without a read first: it never touches the counters', async () => {
    const { inventory, store } = setup();
    await inventory.reserve(order('o-1'));
    store.stock.get('A')!.held = 0; // a hand edit: shipping does not even look
    const transitions: unknown[] = [];
    const apply = store.applyTransition.bind(store);
    store.applyTransition = async (transition) => {
      transitions.push(transition);
      return apply(transition);
    };
    store.findReservation = async () => {
      throw new Error('ship read the reservation');
    };
    expect((await inventory.ship('o-1')).duplicate).toBe(false);
    expect(transitions).toEqual([expect.not.objectContaining({ move: expect.anything() })]);
    expect(store.stock.get('A')).toMatchObject({ available: 8, held: 0 });
  });

  test('a reservation that keeps changing is transient (the saga retries)', async () => {
    const { inventory, store } = setup();
    await inventory.reserve(order('o-1'));
    store.applyTransition = async () => ({ kind: 'conflict' });
    expect(await rejected(inventory.ship('o-1'))).toBeInstanceOf(TransientError);
  });
});

describe('release (compensation)', () => {
  test('RESERVED: stock goes back on the shelf; a second release is ALREADY_RELEASED', async () => {
    const { inventory, store, counters } = setup();
    await inventory.reserve(order('o-1'));
    expect(await inventory.release('o-1')).toEqual({ status: 'RELEASED' });
    expect(counters('A')).toEqual({ available: 10, held: 0 });
    expect(store.reservations.get('o-1')).toMatchObject({ status: 'RELEASED', releasedAt: expect.any(String) });
    expect(await inventory.release('o-1')).toEqual({ status: 'ALREADY_RELEASED' });
    expect(counters('A')).toEqual({ available: 10, held: 0 });
  });

  test('SHIPPED: the shipment is restocked (held -> available, as a reserved one)', async () => {
    const { inventory, counters } = setup();
    await inventory.reserve(order('o-1'));
    await inventory.ship('o-1');
    expect(await inventory.release('o-1')).toEqual({ status: 'RELEASED' });
    expect(counters('A')).toEqual({ available: 10, held: 0 });
  });

  test('nothing reserved: a tombstone, NOTHING_RESERVED, then ALREADY_RELEASED', async () => {
    const { inventory, store } = setup();
    expect(await inventory.release('o-1')).toEqual({ status: 'NOTHING_RESERVED' });
    expect(store.reservations.get('o-1')).toMatchObject({ status: 'RELEASED', lines: [] });
    expect(await inventory.release('o-1')).toEqual({ status: 'ALREADY_RELEASED' });
  });

  test('a late reserve landing before the tombstone is released instead', async () => {
    const { inventory, store, counters } = setup();
    interleave(store, 'createTombstone', () => new Inventory(store).reserve(order('o-1')));
    expect(await inventory.release('o-1')).toEqual({ status: 'RELEASED' });
    expect(counters('A')).toEqual({ available: 10, held: 0 });
  });

  test('a ship landing between the read and the write is restocked, not released twice', async () => {
    const { inventory, store, counters } = setup();
    await inventory.reserve(order('o-1'));
    interleave(store, 'applyTransition', () => new Inventory(store).ship('o-1'));
    expect(await inventory.release('o-1')).toEqual({ status: 'RELEASED' });
    expect(counters('A')).toEqual({ available: 10, held: 0 });
  });

  test('two concurrent releases give the stock back once', async () => {
    const { inventory, store, counters } = setup();
    await inventory.reserve(order('o-1'));
    interleave(store, 'applyTransition', () => new Inventory(store).release('o-1'));
    expect(await inventory.release('o-1')).toEqual({ status: 'ALREADY_RELEASED' });
    expect(counters('A')).toEqual({ available: 10, held: 0 });
  });

  test('counters below the reservation are an inconsistency', async () => {
    const { inventory, store } = setup();
    await inventory.reserve(order('o-1'));
    store.stock.get('B')!.held = 0;
    const error = await rejected(inventory.release('o-1'));
    expect(error).toBeInstanceOf(InventoryInconsistent);
    expect(error.message).toMatch(/cannot move stock held -> available for B/);
  });

  test('a tombstone that keeps conflicting is transient', async () => {
    const { inventory, store } = setup();
    store.createTombstone = async () => ({ kind: 'conflict' });
    expect(await rejected(inventory.release('o-1'))).toBeInstanceOf(TransientError);
  });
});

describe('releaseExpired', () => {
  async function arrange() {
    const context = setup();
    const { inventory } = context;
    await inventory.reserve(order('old-1', [{ sku: 'A', quantity: 1 }])); // t0
    await inventory.reserve(order('old-shipped', [{ sku: 'A', quantity: 1 }])); // t1
    await inventory.ship('old-shipped');
    await inventory.reserve(order('old-2', [{ sku: 'A', quantity: 1 }]));
    await inventory.reserve(order('young', [{ sku: 'A', quantity: 1 }]));
    const young = context.store.reservations.get('young')!.createdAt;
    return { ...context, createdBefore: young };
  }

  test('releases the RESERVED reservations older than the cut-off and leaves the rest', async () => {
    const { inventory, store, counters, createdBefore } = await arrange();
    expect(await inventory.releaseExpired(createdBefore, 100)).toEqual({ examined: 3, found: 2, released: 2, skipped: 0, deferred: 0, failed: [] });
    expect(store.reservations.get('old-1')!.status).toBe('RELEASED');
    expect(store.reservations.get('old-2')!.status).toBe('RELEASED');
    expect(store.reservations.get('old-shipped')!.status).toBe('SHIPPED');
    expect(store.reservations.get('young')!.status).toBe('RESERVED');
    expect(counters('A')).toEqual({ available: 8, held: 2 });
  });

  test('reads each reservation once: the next run starts after every shard\'s checkpoint', async () => {
    const { inventory, store, createdBefore } = await arrange();
    await inventory.releaseExpired(createdBefore, 100);
    const later = new Date(Date.parse(store.reservations.get('young')!.createdAt) + 1).toISOString();
    expect(await inventory.releaseExpired(later, 100)).toEqual({ examined: 1, found: 1, released: 1, skipped: 0, deferred: 0, failed: [] });
    expect(await inventory.releaseExpired(later, 100)).toMatchObject({ examined: 0, found: 0 });
  });

  test('a reservation shipped by the saga after the window was read is skipped, not restocked', async () => {
    const { inventory, store, counters, createdBefore } = await arrange();
    interleave(store, 'findReservation', () => new Inventory(store).ship('old-1'));
    expect(await inventory.releaseExpired(createdBefore, 100)).toMatchObject({ found: 2, released: 1, skipped: 1 });
    expect(store.reservations.get('old-1')!.status).toBe('SHIPPED');
    expect(counters('A')).toEqual({ available: 7, held: 3 });
  });

  test('a ship landing between the read and the write is skipped too', async () => {
    const { inventory, store, createdBefore } = await arrange();
    interleave(store, 'applyTransition', () => new Inventory(store).ship('old-1'));
    expect(await inventory.releaseExpired(createdBefore, 100)).toMatchObject({ released: 1, skipped: 1 });
    expect(store.reservations.get('old-1')!.status).toBe('SHIPPED');
  });

  test('one failure does not stop the others; it is reported, and the next run tries it again', async () => {
    const { inventory, store, createdBefore } = await arrange();
    store.stock.get('A')!.held = 1; // a hand edit: the counter holds one of the two old reservations
    const summary = await inventory.releaseExpired(createdBefore, 100);
    expect(summary).toMatchObject({ found: 2, released: 1, skipped: 0 });
    expect(summary.failed).toEqual([{ orderId: 'old-2', error: expect.any(InventoryInconsistent) }]);
    store.stock.get('A')!.held = 1;
    expect(await inventory.releaseExpired(createdBefore, 100)).toMatchObject({ found: 1, released: 1, failed: [] });
    expect(store.reservations.get('old-2')!.status).toBe('RELEASED');
  });

  test('stops starting releases when time runs out; the rest waits for the next run', async () => {
    const { inventory, store, createdBefore } = await arrange();
    let budget = 1;
    expect(await inventory.releaseExpired(createdBefore, 100, () => budget-- > 0)).toMatchObject({ found: 2, released: 1, skipped: 0, deferred: 1, failed: [] });
    expect(store.reservations.get('old-2')!.status).toBe('RESERVED');
    expect(await inventory.releaseExpired(createdBefore, 100)).toMatchObject({ found: 1, released: 1 });
    expect(store.reservations.get('old-2')!.status).toBe('RELEASED');
  });

  test('reads the window in rounds of `perShard` entries per shard until it is empty', async () => {
    const { inventory, store, createdBefore } = await arrange();
    const rounds: number[] = [];
    const read = store.readSweepWindow.bind(store);
    store.readSweepWindow = async (before, perShard) => {
      const window = await read(before, perShard);
      rounds.push(window.entries.length);
      return window;
    };
    expect(await inventory.releaseExpired(createdBefore, 1)).toMatchObject({ examined: 3, found: 2, released: 2 });
    expect(rounds.reduce((sum, n) => sum + n, 0)).toBe(3);
    expect(store.reservations.get('old-1')!.status).toBe('RELEASED');
    expect(store.reservations.get('old-2')!.status).toBe('RELEASED');
  });
});

/**
 * A finished reservation is the idempotency record of reserve, ship and release. The table's TTL
 * deletes it FINISHED_RECORD_RETENTION_DAYS (400) after it finished, past every retry and redrive
 * of the saga (docs/guarantees.md). What a replay does once the record is gone (the TTL delete is
 * played here by removing the item):
 */
describe('a replayed step after the TTL deleted its reservation', () => {
  async function shippedThenExpired() {
    const context = setup();
    await context.inventory.reserve(order('o-1', [{ sku: 'A', quantity: 2 }]));
    await context.inventory.ship('o-1');
    context.store.reservations.delete('o-1'); // the TTL delete
    return context;
  }

  test('reserve reserves again: the stock is held anew, and the sweeper gives it back once it is older than the cut-off', async () => {
    const { inventory, store, counters } = await shippedThenExpired();
    expect((await inventory.reserve(order('o-1', [{ sku: 'A', quantity: 2 }]))).duplicate).toBe(false);
    expect(counters('A')).toEqual({ available: 6, held: 4 });
    // No saga ships it (the replay belonged to one that ended long ago): the stale-reservation sweep releases it.
    const later = new Date(Date.parse(store.reservations.get('o-1')!.createdAt) + 1).toISOString();
    expect(await inventory.releaseExpired(later, 100)).toMatchObject({ found: 1, released: 1 });
    expect(counters('A')).toEqual({ available: 8, held: 2 });
  });

  test('ship fails as NOT_RESERVED and moves nothing', async () => {
    const { inventory, counters } = await shippedThenExpired();
    const error = await rejected(inventory.ship('o-1'));
    expect(error).toBeInstanceOf(ShippingFailed);
    expect(counters('A')).toEqual({ available: 8, held: 2 });
  });

  test('release finds nothing: a tombstone, NOTHING_RESERVED, and the shipped stock stays held', async () => {
    const { inventory, store, counters } = await shippedThenExpired();
    expect(await inventory.release('o-1')).toEqual({ status: 'NOTHING_RESERVED' });
    expect(store.reservations.get('o-1')).toMatchObject({ status: 'RELEASED', lines: [] });
    expect(counters('A')).toEqual({ available: 8, held: 2 });
  });
});
