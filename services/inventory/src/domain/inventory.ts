import { TransientError } from '@order-platform/shared/errors';
import type {
  ReleaseInventoryOutput,
  ReserveInventoryInput,
  ReserveInventoryOutput,
  ShipOrderOutput,
} from '@order-platform/shared/contracts/saga';
import { InventoryInconsistent, OutOfStock } from './errors';
import { mergeLines, priceLines, type CatalogueEntry } from './lines';
import {
  decideRelease,
  decideShip,
  newReservation,
  reserveResultOf,
  type ReleaseMode,
  type Reservation,
  type Transition,
} from './reservation';

/** Outcome of an atomic write whose conditions may fail. */
export type WriteOutcome =
  | { kind: 'applied' }
  /** The reservation is not in the state the write expected (it exists, or its status moved on). */
  | { kind: 'conflict'; current?: Reservation }
  /** A stock condition failed: the SKUs are unknown or hold too little in the bucket the move takes from. */
  | { kind: 'insufficient'; skus: string[] };

/**
 * The persistence port of the inventory's saga steps. Every write is atomic: the reservation and
 * all of its stock counters change together or not at all, each guarded by a condition.
 */
export interface InventoryRepository {
  /** The order's reservation (strongly consistent) and the catalogue entries of the SKUs that exist. */
  loadForReserve(orderId: string, skus: string[]): Promise<{ existing?: Reservation; catalogue: Map<string, CatalogueEntry> }>;
  findReservation(orderId: string): Promise<Reservation | undefined>;
  /** Creates the reservation (absent before) and moves each line's quantity available -> reserved. */
  createReservation(reservation: Reservation): Promise<WriteOutcome>;
  /** Applies a status change (only from `transition.from`) with its stock move. */
  applyTransition(transition: Transition): Promise<WriteOutcome>;
  /** Creates a RELEASED reservation with no lines if the order has none. */
  createTombstone(tombstone: Reservation): Promise<WriteOutcome>;
  /** Order ids of reservations still RESERVED and created before the cut-off, oldest first. */
  findReservedBefore(createdBefore: string, limit: number): Promise<string[]>;
}

/** Re-reads after a conflicting concurrent step; more conflicts than this in a row are worth a retry later. */
const MAX_ATTEMPTS = 3;

export type ReserveResult = { output: ReserveInventoryOutput; duplicate: boolean };
export type ShipResult = { output: ShipOrderOutput; duplicate: boolean };
type ReleaseResult = { output: ReleaseInventoryOutput } | { skipped: string };
export interface ExpirySummary {
  found: number;
  released: number;
  skipped: number;
  /** Left for the next run because this one ran out of time. */
  deferred: number;
  failed: { orderId: string; error: Error }[];
}

/** The inventory's saga steps, written against the repository port (no AWS here). */
export class Inventory {
  constructor(
    private readonly repository: InventoryRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** All lines or none; a repeated call answers the first result. */
  async reserve(input: Pick<ReserveInventoryInput, 'orderId' | 'items' | 'executionArn'>): Promise<ReserveResult> {
    const { orderId } = input;
    const lines = mergeLines(input.items);
    const { existing, catalogue } = await this.repository.loadForReserve(orderId, lines.map((line) => line.sku));
    if (existing) return { output: reserveResultOf(existing), duplicate: true };

    const priced = priceLines(lines, catalogue);
    const reservation = newReservation(orderId, priced, this.now().toISOString(), input.executionArn);
    const outcome = await this.repository.createReservation(reservation);
    switch (outcome.kind) {
      case 'applied':
        return { output: priced, duplicate: false };
      case 'insufficient':
        throw new OutOfStock(outcome.skus);
      case 'conflict': {
        // A concurrent delivery of the same step (or a release's tombstone) got there first.
        const current = outcome.current ?? (await this.repository.findReservation(orderId));
        if (!current) throw new TransientError(`Reservation of order ${orderId} conflicted but cannot be read yet`);
        return { output: reserveResultOf(current), duplicate: true };
      }
    }
  }

  /** RESERVED -> SHIPPED; a repeated call answers the first shipment. */
  async ship(orderId: string): Promise<ShipResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const decision = decideShip(orderId, await this.repository.findReservation(orderId), this.now().toISOString());
      if (decision.kind === 'done') return { output: decision.output, duplicate: true };
      const outcome = await this.repository.applyTransition(decision.transition);
      if (outcome.kind === 'applied') return { output: decision.output, duplicate: false };
      if (outcome.kind === 'insufficient') throw inconsistent(decision.transition, outcome.skus);
    }
    throw new TransientError(`Reservation of order ${orderId} kept changing while shipping`);
  }

  /** The compensation: gives back whatever the order holds; safe to run twice or concurrently. */
  async release(orderId: string): Promise<ReleaseInventoryOutput> {
    const result = await this.releaseWith(orderId, { kind: 'compensation' });
    if ('skipped' in result) throw new Error(`Compensation of order ${orderId} skipped: ${result.skipped}`);
    return result.output;
  }

  /** Releases reservations the saga left RESERVED for longer than it can run (a lost or stuck execution). */
  async releaseExpired(createdBefore: string, limit: number, hasTime: () => boolean = () => true): Promise<ExpirySummary> {
    const orderIds = await this.repository.findReservedBefore(createdBefore, limit);
    const summary: ExpirySummary = { found: orderIds.length, released: 0, skipped: 0, deferred: 0, failed: [] };
    for (const [index, orderId] of orderIds.entries()) {
      if (!hasTime()) {
        summary.deferred = orderIds.length - index;
        break;
      }
      try {
        const result = await this.releaseWith(orderId, { kind: 'expiry', createdBefore });
        if ('skipped' in result) summary.skipped++;
        else summary.released++;
      } catch (error) {
        // One bad reservation must not keep the others held; the next run tries it again.
        summary.failed.push({ orderId, error: error instanceof Error ? error : new Error(String(error)) });
      }
    }
    return summary;
  }

  private async releaseWith(orderId: string, mode: ReleaseMode): Promise<ReleaseResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const decision = decideRelease(orderId, await this.repository.findReservation(orderId), this.now().toISOString(), mode);
      switch (decision.kind) {
        case 'skip':
          return { skipped: decision.reason };
        case 'done':
          return { output: decision.output };
        case 'tombstone': {
          const outcome = await this.repository.createTombstone(decision.tombstone);
          if (outcome.kind === 'applied') return { output: decision.output };
          break; // a reserve landed meanwhile: decide again on what it wrote
        }
        case 'transition': {
          const outcome = await this.repository.applyTransition(decision.transition);
          if (outcome.kind === 'applied') return { output: decision.output };
          if (outcome.kind === 'insufficient') throw inconsistent(decision.transition, outcome.skus);
          break; // shipped or released meanwhile: decide again
        }
      }
    }
    throw new TransientError(`Reservation of order ${orderId} kept changing while releasing`);
  }
}

function inconsistent(transition: Transition, skus: string[]): InventoryInconsistent {
  return new InventoryInconsistent(
    `Order ${transition.orderId} (${transition.from} -> ${transition.to}) cannot move stock ${transition.move.from} -> ${transition.move.to} for ${skus.join(', ')}: the counters are below the reservation`,
  );
}
