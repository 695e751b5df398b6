import type { Money, PricedLine } from '@order-platform/shared/contracts/events';
import type { ReleaseInventoryOutput, ReserveInventoryOutput, ShipOrderOutput } from '@order-platform/shared/contracts/saga';
import { ReservationReleased, ShippingFailed } from './errors';
import type { PricedOrder } from './lines';

export type ReservationStatus = 'RESERVED' | 'SHIPPED' | 'RELEASED';

/** One reservation per order: the order's stock held (RESERVED), committed (SHIPPED) or given back (RELEASED). */
export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  /** Empty for a tombstone (released before anything was reserved). */
  lines: PricedLine[];
  total?: Money;
  createdAt: string;
  updatedAt: string;
  shipmentId?: string;
  shippedAt?: string;
  releasedAt?: string;
  executionArn?: string;
}

/** The three counters of a SKU; a reservation's lifecycle moves quantities between them. */
export type StockBucket = 'available' | 'reserved' | 'shipped';

export interface StockMove {
  from: StockBucket;
  to: StockBucket;
}

/** Every stock change a saga step makes. A move never changes available + reserved + shipped. */
export const StockMoves = {
  reserve: { from: 'available', to: 'reserved' },
  release: { from: 'reserved', to: 'available' },
  ship: { from: 'reserved', to: 'shipped' },
  /** A shipment compensated after the fact goes back on the shelf. */
  restock: { from: 'shipped', to: 'available' },
} as const satisfies Record<string, StockMove>;

/**
 * A reservation's status change together with its stock move, applied atomically and only if the
 * reservation is still in `from` (a concurrent step makes it a conflict, never a double move).
 */
export interface Transition {
  orderId: string;
  from: ReservationStatus;
  to: ReservationStatus;
  move: StockMove;
  lines: { sku: string; quantity: number }[];
  at: string;
  shipment?: { shipmentId: string; shippedAt: string };
}

export function shipmentIdFor(orderId: string): string {
  return `shp_${orderId}`;
}

export function newReservation(orderId: string, priced: PricedOrder, at: string, executionArn?: string): Reservation {
  return {
    orderId,
    status: 'RESERVED',
    lines: priced.lines,
    total: priced.total,
    createdAt: at,
    updatedAt: at,
    ...(executionArn ? { executionArn } : {}),
  };
}

/** Written when a release finds nothing: a late or duplicate reserve of the order then fails instead of holding stock. */
export function tombstone(orderId: string, at: string): Reservation {
  return { orderId, status: 'RELEASED', lines: [], createdAt: at, updatedAt: at, releasedAt: at };
}

/** What a repeated reserve answers: the first result, or a failure once the reservation was released. */
export function reserveResultOf(existing: Reservation): ReserveInventoryOutput {
  if (existing.status === 'RELEASED' || !existing.total) throw new ReservationReleased(existing.orderId);
  return { lines: existing.lines, total: existing.total };
}

function quantities(reservation: Reservation): Transition['lines'] {
  return reservation.lines.map(({ sku, quantity }) => ({ sku, quantity }));
}

export type ShipDecision = { kind: 'done'; output: ShipOrderOutput } | { kind: 'transition'; transition: Transition; output: ShipOrderOutput };

/** RESERVED is shipped; SHIPPED answers the first shipment again; anything else cannot ship. */
export function decideShip(orderId: string, current: Reservation | undefined, at: string): ShipDecision {
  if (!current) throw new ShippingFailed(orderId, 'NOT_RESERVED');
  switch (current.status) {
    case 'SHIPPED':
      return {
        kind: 'done',
        output: { shipmentId: current.shipmentId ?? shipmentIdFor(orderId), shippedAt: current.shippedAt ?? current.updatedAt },
      };
    case 'RELEASED':
      throw new ShippingFailed(orderId, 'RELEASED');
    case 'RESERVED': {
      const output = { shipmentId: shipmentIdFor(orderId), shippedAt: at };
      return {
        kind: 'transition',
        output,
        transition: { orderId, from: 'RESERVED', to: 'SHIPPED', move: StockMoves.ship, lines: quantities(current), at, shipment: output },
      };
    }
  }
}

/**
 * Who releases: the saga's compensation releases whatever the order holds; the expiry sweeper only
 * releases a reservation still RESERVED and older than the cut-off (a shipped order is not its business).
 */
export type ReleaseMode = { kind: 'compensation' } | { kind: 'expiry'; createdBefore: string };

export type ReleaseDecision =
  | { kind: 'done'; output: ReleaseInventoryOutput }
  | { kind: 'transition'; transition: Transition; output: ReleaseInventoryOutput }
  | { kind: 'tombstone'; tombstone: Reservation; output: ReleaseInventoryOutput }
  | { kind: 'skip'; reason: string };

export function decideRelease(orderId: string, current: Reservation | undefined, at: string, mode: ReleaseMode): ReleaseDecision {
  const released: ReleaseInventoryOutput = { status: 'RELEASED' };
  if (mode.kind === 'expiry') {
    if (!current) return { kind: 'skip', reason: 'no reservation' };
    if (current.status !== 'RESERVED') return { kind: 'skip', reason: `reservation is ${current.status}` };
    if (current.createdAt >= mode.createdBefore) return { kind: 'skip', reason: 'reservation is not expired' };
  }
  if (!current) return { kind: 'tombstone', tombstone: tombstone(orderId, at), output: { status: 'NOTHING_RESERVED' } };
  const base = { orderId, to: 'RELEASED' as const, lines: quantities(current), at };
  switch (current.status) {
    case 'RELEASED':
      return { kind: 'done', output: { status: 'ALREADY_RELEASED' } };
    case 'RESERVED':
      return { kind: 'transition', output: released, transition: { ...base, from: 'RESERVED', move: StockMoves.release } };
    case 'SHIPPED':
      return { kind: 'transition', output: released, transition: { ...base, from: 'SHIPPED', move: StockMoves.restock } };
  }
}

/** The order saga's own TimeoutSeconds (order service): a younger reservation may still be in use. */
export const SAGA_TIMEOUT_MINUTES = 15;

/** Reservations created before this instant are expired. */
export function expiryCutoff(now: Date, maxAgeMinutes: number): string {
  if (!(maxAgeMinutes > SAGA_TIMEOUT_MINUTES)) {
    throw new Error(`Reservation max age must exceed the saga timeout (${SAGA_TIMEOUT_MINUTES} min), got ${maxAgeMinutes}`);
  }
  return new Date(now.getTime() - maxAgeMinutes * 60_000).toISOString();
}
