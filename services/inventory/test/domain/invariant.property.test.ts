import fc from 'fast-check';
import { TransientError } from '@order-platform/shared';
import { OutOfStock, ReservationReleased, ShippingFailed } from '../../src/domain/errors';
import { Inventory, type InventoryRepository } from '../../src/domain/inventory';
import { InMemoryInventoryRepository } from '../support/in-memory-inventory-repository';

/*
 * The stock invariant under any sequence (and any interleaving) of saga steps, duplicates and
 * sweeps: for every SKU, initial stock = available + held, no counter is ever
 * negative, and the counters are exactly what the reservations hold (nothing released twice).
 */

const SKUS = ['A', 'B', 'C'] as const;
const ORDERS = ['o1', 'o2', 'o3', 'o4'] as const;

type Command =
  | { op: 'reserve'; orderId: string; items: { sku: string; quantity: number }[]; redelivered: boolean }
  | { op: 'release' | 'ship'; orderId: string; redelivered: boolean }
  | { op: 'sweep' };

const orderId = fc.constantFrom(...ORDERS);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    op: fc.constant('reserve' as const),
    orderId,
    items: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 4 }),
    redelivered: fc.boolean(),
  }),
  fc.record({ op: fc.constantFrom('release' as const, 'ship' as const), orderId, redelivered: fc.boolean() }),
  fc.constant({ op: 'sweep' as const }),
);
const initialStock = fc.record({ A: fc.nat(12), B: fc.nat(12), C: fc.nat(12) });

/** Business outcomes the saga handles; anything else (InventoryInconsistent, a TypeError) breaks the property. */
const expectedFailure = (error: unknown, allowTransient: boolean) =>
  error instanceof OutOfStock ||
  error instanceof ReservationReleased ||
  error instanceof ShippingFailed ||
  (allowTransient && error instanceof TransientError);

function world(initial: Record<string, number>) {
  const store = new InMemoryInventoryRepository(SKUS.map((sku) => ({ sku, available: initial[sku] ?? 0 })));
  let tick = 0;
  const now = () => new Date(Date.UTC(2026, 0, 1) + tick++ * 60_000);
  return { store, now };
}

function run(inventory: Inventory, now: () => Date, cmd: Command): Promise<unknown> {
  switch (cmd.op) {
    case 'reserve':
      return inventory.reserve(cmd);
    case 'release':
      return inventory.release(cmd.orderId);
    case 'ship':
      return inventory.ship(cmd.orderId);
    case 'sweep':
      // Everything older than "now" counts as expired: the sweeper races the saga as hard as it can.
      return inventory.releaseExpired(now().toISOString(), 100);
  }
}

function checkInvariant(store: InMemoryInventoryRepository, initial: Record<string, number>) {
  for (const sku of SKUS) {
    const { available, held } = store.stock.get(sku)!;
    expect(Math.min(available, held)).toBeGreaterThanOrEqual(0);
    expect(available + held).toBe(initial[sku]);
    const heldBy = (status: string) =>
      [...store.reservations.values()]
        .filter((r) => r.status === status)
        .flatMap((r) => r.lines)
        .filter((line) => line.sku === sku)
        .reduce((sum, line) => sum + line.quantity, 0);
    expect(held).toBe(heldBy('RESERVED') + heldBy('SHIPPED'));
  }
}

test('property: one step at a time, with redeliveries, the invariant holds after every step and repeats answer the first result', async () => {
  await fc.assert(
    fc.asyncProperty(initialStock, fc.array(command, { maxLength: 30 }), async (initial, commands) => {
      const { store, now } = world(initial);
      const inventory = new Inventory(store, now);
      const released = new Set<string>();
      for (const cmd of commands) {
        let first: unknown;
        try {
          first = await run(inventory, now, cmd);
        } catch (error) {
          if (!expectedFailure(error, false)) throw error;
          first = error;
        }
        if ('redelivered' in cmd && cmd.redelivered && !(first instanceof Error)) {
          const again = await run(inventory, now, cmd);
          if (cmd.op === 'release') expect(again).toEqual({ status: 'ALREADY_RELEASED' });
          else expect((again as { output: unknown }).output).toEqual((first as { output: unknown }).output);
        }
        checkInvariant(store, initial);
        // Released is final: no step brings a released reservation back.
        for (const id of released) expect(store.reservations.get(id)?.status).toBe('RELEASED');
        for (const r of store.reservations.values()) if (r.status === 'RELEASED') released.add(r.orderId);
      }
    }),
    { numRuns: 200 },
  );
});

test('property: all steps at once, in any interleaving of their reads and writes, keep the invariant', async () => {
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), initialStock, fc.array(command, { minLength: 1, maxLength: 12 }), async (s, initial, commands) => {
      const { store, now } = world(initial);
      // Every store call waits for the scheduler: fast-check picks which pending call runs next.
      const scheduled = new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => s.schedule(Promise.resolve(String(property))).then(() => value.apply(target, args));
        },
      }) as InventoryRepository;
      const inventory = new Inventory(scheduled, now);
      const deliveries = commands.flatMap((cmd) => ('redelivered' in cmd && cmd.redelivered ? [cmd, cmd] : [cmd]));
      // waitFor releases scheduled store calls, in the order fast-check picks, until every step settles.
      const settled = await s.waitFor(Promise.allSettled(deliveries.map((cmd) => run(inventory, now, cmd))));
      for (const result of settled) {
        if (result.status === 'rejected' && !expectedFailure(result.reason, true)) throw result.reason;
      }
      checkInvariant(store, initial);
    }),
    { numRuns: 200 },
  );
});
