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

/**
 * The two counters of a SKU: on the shelf, or held by orders (reserved, or shipped and not given
 * back). Shipping only marks the reservation: it moves no stock, so it costs one write, not a
 * four-unit transaction; which held units have shipped is the reservations' status.
 */
export type StockBucket = 'available' | 'held';

export interface StockMove {
  from: StockBucket;
  to: StockBucket;
}

/** Every stock change a saga step makes. A move never changes available + held. */
export const StockMoves = {
  reserve: { from: 'available', to: 'held' },
  /** Releasing a reservation, shipped or not, puts its units back on the shelf. */
  release: { from: 'held', to: 'available' },
} as const satisfies Record<string, StockMove>;

/**
 * A reservation's status change together with its stock move (if any), applied atomically and
 * only if the reservation is still in `from` (a concurrent step makes it a conflict, never a
 * double move).
 */
export interface Transition {
  orderId: string;
  from: ReservationStatus;
  to: ReservationStatus;
  /** Absent when only the reservation changes (shipping). */
  move?: StockMove;
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

/**
 * Shipping is tried blind (no read first): RESERVED -> SHIPPED, with no stock move and so no lines
 * needed. Only when that condition fails does the stored reservation decide (shipTriedOn).
 */
export function shipTransition(orderId: string, at: string): Transition & { shipment: ShipOrderOutput } {
  return { orderId, from: 'RESERVED', to: 'SHIPPED', lines: [], at, shipment: { shipmentId: shipmentIdFor(orderId), shippedAt: at } };
}

export type ShipDecision = { kind: 'done'; output: ShipOrderOutput } | { kind: 'retry' };

/** After a failed RESERVED -> SHIPPED: SHIPPED answers the first shipment again; RESERVED (changed meanwhile) tries again; anything else cannot ship. */
export function decideShip(orderId: string, current: Reservation | undefined): ShipDecision {
  if (!current) throw new ShippingFailed(orderId, 'NOT_RESERVED');
  switch (current.status) {
    case 'SHIPPED':
      return {
        kind: 'done',
        output: { shipmentId: current.shipmentId ?? shipmentIdFor(orderId), shippedAt: current.shippedAt ?? current.updatedAt },
      };
    case 'RELEASED':
      throw new ShippingFailed(orderId, 'RELEASED');
    case 'RESERVED':
      return { kind: 'retry' };
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
  if (current.status === 'RELEASED') return { kind: 'done', output: { status: 'ALREADY_RELEASED' } };
  // RESERVED or SHIPPED: either way the units are held, and go back on the shelf.
  const transition: Transition = { orderId, from: current.status, to: 'RELEASED', move: StockMoves.release, lines: quantities(current), at };
  return { kind: 'transition', output: released, transition };
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
