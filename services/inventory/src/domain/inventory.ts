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
  shipTransition,
  type ReleaseMode,
  type Reservation,
  type ReservationStatus,
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
 * A reservation in the sweeper's window: its shard of the sweep index, and its status as an
 * eventually consistent read saw it (undefined: not found). Only a RESERVED one is looked at again.
 */
export interface SweepEntry {
  orderId: string;
  createdAt: string;
  shard: string;
  status?: ReservationStatus;
}

/** One read of the sweep window: oldest first within each shard; `more` if a shard holds more before the cut-off. */
export interface SweepWindow {
  entries: SweepEntry[];
  more: boolean;
}

/**
 * The persistence port of the inventory's saga steps. Every write is atomic: the reservation and
 * all of its stock counters change together or not at all, each guarded by a condition.
 */
export interface InventoryRepository {
  /** The catalogue entries of the SKUs that exist (price and currency; an eventually consistent read). */
  loadCatalogue(skus: string[]): Promise<Map<string, CatalogueEntry>>;
  findReservation(orderId: string): Promise<Reservation | undefined>;
  /** Creates the reservation (absent before) and moves each line's quantity available -> held. A conflict carries the stored reservation. */
  createReservation(reservation: Reservation): Promise<WriteOutcome>;
  /** Applies a status change (only from `transition.from`) with its stock move, if any. A conflict carries the stored reservation when the store returns it. */
  applyTransition(transition: Transition): Promise<WriteOutcome>;
  /** Creates a RELEASED reservation with no lines if the order has none. */
  createTombstone(tombstone: Reservation): Promise<WriteOutcome>;
  /**
   * Reservations created before the cut-off that the sweeper has not examined yet (after each
   * shard's checkpoint), at most `perShard` of each shard.
   */
  readSweepWindow(createdBefore: string, perShard: number): Promise<SweepWindow>;
  /** Moves each shard's checkpoint to the last of these entries it holds (they are examined). */
  saveSweepProgress(examined: SweepEntry[]): Promise<void>;
}

/** Re-reads after a conflicting concurrent step; more conflicts than this in a row are worth a retry later. */
const MAX_ATTEMPTS = 3;

export type ReserveResult = { output: ReserveInventoryOutput; duplicate: boolean };
export type ShipResult = { output: ShipOrderOutput; duplicate: boolean };
type ReleaseResult = { output: ReleaseInventoryOutput } | { skipped: string };
export interface ExpirySummary {
  /** Reservations past the cut-off read this run (each is read once, whatever its status). */
  examined: number;
  /** Of those, still RESERVED. */
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

  /**
   * All lines or none; a repeated call answers the first result. No read of the reservation first:
   * the write's condition finds a repeat and returns what the first call stored.
   */
  async reserve(input: Pick<ReserveInventoryInput, 'orderId' | 'items' | 'executionArn'>): Promise<ReserveResult> {
    const { orderId } = input;
    const lines = mergeLines(input.items);
    const catalogue = await this.repository.loadCatalogue(lines.map((line) => line.sku));
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

  /** RESERVED -> SHIPPED in one conditional write; a repeated call answers the first shipment. */
  async ship(orderId: string): Promise<ShipResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const transition = shipTransition(orderId, this.now().toISOString());
      const outcome = await this.repository.applyTransition(transition);
      if (outcome.kind === 'applied') return { output: transition.shipment, duplicate: false };
      if (outcome.kind === 'insufficient') throw inconsistent(transition, outcome.skus);
      const current = 'current' in outcome ? outcome.current : await this.repository.findReservation(orderId);
      const decision = decideShip(orderId, current);
      if (decision.kind === 'done') return { output: decision.output, duplicate: true };
    }
    throw new TransientError(`Reservation of order ${orderId} kept changing while shipping`);
  }

  /** The compensation: gives back whatever the order holds; safe to run twice or concurrently. */
  async release(orderId: string): Promise<ReleaseInventoryOutput> {
    const result = await this.releaseWith(orderId, { kind: 'compensation' });
    if ('skipped' in result) throw new Error(`Compensation of order ${orderId} skipped: ${result.skipped}`);
    return result.output;
  }

  /**
   * Releases reservations the saga left RESERVED for longer than it can run (a lost or stuck
   * execution). Every reservation is examined once, after the cut-off: the sweep index is written
   * at reserve and never again, so each shard keeps a checkpoint of how far it was read. A failed
   * or deferred release holds its shard's checkpoint before it, so the next run tries it again.
   */
  async releaseExpired(createdBefore: string, perShard: number, hasTime: () => boolean = () => true): Promise<ExpirySummary> {
    const summary: ExpirySummary = { examined: 0, found: 0, released: 0, skipped: 0, deferred: 0, failed: [] };
    let more: boolean;
    do {
      const window = await this.repository.readSweepWindow(createdBefore, perShard);
      const blocked = new Set<string>(); // shards whose checkpoint stops before a failed or deferred entry
      const examined: SweepEntry[] = [];
      for (const entry of window.entries) {
        if (blocked.has(entry.shard)) continue;
        summary.examined++;
        if (entry.status === 'RESERVED') {
          summary.found++;
          if (!hasTime()) {
            summary.deferred++;
            blocked.add(entry.shard);
            continue;
          }
          try {
            const result = await this.releaseWith(entry.orderId, { kind: 'expiry', createdBefore });
            if ('skipped' in result) summary.skipped++;
            else summary.released++;
          } catch (error) {
            // One bad reservation must not keep the others held; the next run tries it again.
            summary.failed.push({ orderId: entry.orderId, error: error instanceof Error ? error : new Error(String(error)) });
            blocked.add(entry.shard);
            continue;
          }
        }
        examined.push(entry);
      }
      await this.repository.saveSweepProgress(examined);
      more = window.more && blocked.size === 0;
    } while (more && hasTime());
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
  const move = transition.move ? `${transition.move.from} -> ${transition.move.to}` : '(no move)';
  return new InventoryInconsistent(
    `Order ${transition.orderId} (${transition.from} -> ${transition.to}) cannot move stock ${move} for ${skus.join(', ')}: the counters are below the reservation`,
  );
}
