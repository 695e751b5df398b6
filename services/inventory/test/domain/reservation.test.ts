import { ReservationReleased, ShippingFailed } from '../../src/domain/errors';
import {
  decideRelease,
  decideShip,
  expiryCutoff,
  newReservation,
  reserveResultOf,
  shipmentIdFor,
  shipTransition,
  StockMoves,
  tombstone,
  type Reservation,
} from '../../src/domain/reservation';
import { caught } from '../support/caught';

const created = '2026-03-01T10:00:00.000Z';
const now = '2026-03-01T10:05:00.000Z';
const priced = {
  lines: [
    { sku: 'A', quantity: 2, unitPrice: 500, currency: 'EUR' },
    { sku: 'B', quantity: 1, unitPrice: 250, currency: 'EUR' },
  ],
  total: { amount: 1250, currency: 'EUR' },
};
const reserved: Reservation = newReservation('o-1', priced, created);
const shipped: Reservation = { ...reserved, status: 'SHIPPED', shipmentId: 'shp_o-1', shippedAt: '2026-03-01T10:01:00.000Z' };
const released: Reservation = { ...reserved, status: 'RELEASED', releasedAt: '2026-03-01T10:02:00.000Z' };
const quantities = [
  { sku: 'A', quantity: 2 },
  { sku: 'B', quantity: 1 },
];

test('a new reservation holds the priced lines; the execution is kept only when known', () => {
  expect(reserved).toEqual({ orderId: 'o-1', status: 'RESERVED', ...priced, createdAt: created, updatedAt: created });
  expect(newReservation('o-1', priced, created, 'arn:exec').executionArn).toBe('arn:exec');
});

test('a tombstone is released and holds nothing', () => {
  expect(tombstone('o-9', now)).toEqual({ orderId: 'o-9', status: 'RELEASED', lines: [], createdAt: now, updatedAt: now, releasedAt: now });
});

test('the shipment id is deterministic per order', () => {
  expect(shipmentIdFor('o-1')).toBe('shp_o-1');
});

test('every stock move takes from one bucket and gives to another (the SKU total never changes)', () => {
  for (const move of Object.values(StockMoves)) expect(move.from).not.toBe(move.to);
  expect(StockMoves).toEqual({
    reserve: { from: 'available', to: 'held' },
    release: { from: 'held', to: 'available' },
  });
});

describe('reserveResultOf (a repeated reserve)', () => {
  test.each([reserved, shipped])('answers the stored lines and total when $status', (existing) => {
    expect(reserveResultOf(existing)).toEqual(priced);
  });

  test.each([released, tombstone('o-1', now)])('refuses when the reservation was released ($lines.length lines)', (existing) => {
    const error = caught(() => reserveResultOf(existing));
    expect(error).toBeInstanceOf(ReservationReleased);
    expect(error.name).toBe('ReservationReleased');
  });
});

describe('shipTransition', () => {
  test('RESERVED -> SHIPPED with the deterministic shipment id, and no stock move (the units stay held)', () => {
    expect(shipTransition('o-1', now)).toEqual({
      orderId: 'o-1',
      from: 'RESERVED',
      to: 'SHIPPED',
      lines: [],
      at: now,
      shipment: { shipmentId: 'shp_o-1', shippedAt: now },
    });
    expect(shipTransition('o-1', now)).not.toHaveProperty('move');
  });
});

describe('decideShip (after RESERVED -> SHIPPED was refused)', () => {
  test('SHIPPED answers the first shipment again', () => {
    expect(decideShip('o-1', shipped)).toEqual({ kind: 'done', output: { shipmentId: 'shp_o-1', shippedAt: '2026-03-01T10:01:00.000Z' } });
  });

  test('RESERVED (it changed back meanwhile) is tried again', () => {
    expect(decideShip('o-1', reserved)).toEqual({ kind: 'retry' });
  });

  test.each([
    ['RELEASED', released, 'RELEASED', /was released/],
    ['absent', undefined, 'NOT_RESERVED', /has no reservation/],
  ] as const)('%s cannot ship (ShippingFailed)', (_name, current, reason, message) => {
    const error = caught(() => decideShip('o-1', current)) as ShippingFailed;
    expect(error).toBeInstanceOf(ShippingFailed);
    expect(error.name).toBe('ShippingFailed');
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(message);
  });
});

describe('decideRelease as the compensation', () => {
  const mode = { kind: 'compensation' } as const;

  test('RESERVED goes back on the shelf: held -> available', () => {
    expect(decideRelease('o-1', reserved, now, mode)).toEqual({
      kind: 'transition',
      output: { status: 'RELEASED' },
      transition: { orderId: 'o-1', from: 'RESERVED', to: 'RELEASED', move: StockMoves.release, lines: quantities, at: now },
    });
  });

  test('SHIPPED is restocked: held -> available, as a reserved one', () => {
    expect(decideRelease('o-1', shipped, now, mode)).toMatchObject({
      kind: 'transition',
      output: { status: 'RELEASED' },
      transition: { from: 'SHIPPED', to: 'RELEASED', move: StockMoves.release, lines: quantities },
    });
  });

  test('RELEASED is already released', () => {
    expect(decideRelease('o-1', released, now, mode)).toEqual({ kind: 'done', output: { status: 'ALREADY_RELEASED' } });
  });

  test('absent leaves a tombstone so that a late reserve cannot hold stock', () => {
    expect(decideRelease('o-1', undefined, now, mode)).toEqual({
      kind: 'tombstone',
      tombstone: tombstone('o-1', now),
      output: { status: 'NOTHING_RESERVED' },
    });
  });
});

describe('decideRelease as the expiry sweeper', () => {
  const mode = { kind: 'expiry', createdBefore: '2026-03-01T10:30:00.000Z' } as const;

  test('an old RESERVED reservation is released like a compensation', () => {
    expect(decideRelease('o-1', reserved, now, mode)).toMatchObject({ kind: 'transition', transition: { from: 'RESERVED', move: StockMoves.release } });
  });

  test.each([
    ['absent', undefined, 'no reservation'],
    ['shipped', shipped, 'reservation is SHIPPED'],
    ['released', released, 'reservation is RELEASED'],
    ['young', { ...reserved, createdAt: '2026-03-01T10:30:00.000Z' }, 'reservation is not expired'],
  ])('%s is left alone', (_name, current, reason) => {
    expect(decideRelease('o-1', current, now, mode)).toEqual({ kind: 'skip', reason });
  });
});

describe('expiryCutoff', () => {
  test('is the max age before now', () => {
    expect(expiryCutoff(new Date('2026-03-01T10:30:00.000Z'), 30)).toBe('2026-03-01T10:00:00.000Z');
  });

  test.each([15, 10, Number.NaN])('refuses a max age the saga (15 min) could still be using: %s', (minutes) => {
    expect(() => expiryCutoff(new Date(), minutes)).toThrow(/must exceed the saga timeout/);
  });
});
