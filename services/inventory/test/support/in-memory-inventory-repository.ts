import { reservedShardOf } from '../../src/adapters/dynamodb';
import type { InventoryRepository, SweepEntry, SweepWindow, WriteOutcome } from '../../src/domain/inventory';
import type { CatalogueEntry } from '../../src/domain/lines';
import type { Reservation, StockMove, Transition } from '../../src/domain/reservation';
import type { StockItem } from '../../src/domain/stock';

/**
 * The store port in memory, with the same conditions as the DynamoDB transactions: every write
 * checks all of its conditions first and then applies all of its changes, or none.
 */
export class InMemoryInventoryRepository implements InventoryRepository {
  readonly stock = new Map<string, StockItem>();
  readonly reservations = new Map<string, Reservation>();
  /** The sweeper's checkpoint per shard, as `${createdAt}|${orderId}`. */
  readonly sweepCheckpoints = new Map<string, string>();

  constructor(items: Partial<StockItem>[] = []) {
    for (const item of items) this.putStock(item);
  }

  putStock(item: Partial<StockItem>): void {
    const sku = item.sku ?? 'SKU-1';
    this.stock.set(sku, {
      sku,
      price: 1000,
      currency: 'EUR',
      available: 0,
      held: 0,
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...item,
    });
  }

  async loadCatalogue(skus: string[]) {
    const catalogue = new Map<string, CatalogueEntry>();
    for (const sku of skus) {
      const item = this.stock.get(sku);
      if (item) catalogue.set(sku, { sku, price: item.price, currency: item.currency });
    }
    return catalogue;
  }

  async findReservation(orderId: string) {
    const found = this.reservations.get(orderId);
    return found ? structuredClone(found) : undefined;
  }

  async createReservation(reservation: Reservation): Promise<WriteOutcome> {
    const existing = this.reservations.get(reservation.orderId);
    if (existing) return { kind: 'conflict', current: structuredClone(existing) };
    const short = this.shortSkus({ from: 'available', to: 'held' }, reservation.lines);
    if (short.length > 0) return { kind: 'insufficient', skus: short };
    this.move({ from: 'available', to: 'held' }, reservation.lines, reservation.createdAt);
    this.reservations.set(reservation.orderId, structuredClone(reservation));
    return { kind: 'applied' };
  }

  async applyTransition(transition: Transition): Promise<WriteOutcome> {
    const current = this.reservations.get(transition.orderId);
    if (current?.status !== transition.from) return current ? { kind: 'conflict', current: structuredClone(current) } : { kind: 'conflict' };
    if (transition.move) {
      const short = this.shortSkus(transition.move, transition.lines);
      if (short.length > 0) return { kind: 'insufficient', skus: short };
      this.move(transition.move, transition.lines, transition.at);
    }
    current.status = transition.to;
    current.updatedAt = transition.at;
    if (transition.shipment) Object.assign(current, transition.shipment);
    if (transition.to === 'RELEASED') current.releasedAt = transition.at;
    return { kind: 'applied' };
  }

  async createTombstone(tombstone: Reservation): Promise<WriteOutcome> {
    if (this.reservations.has(tombstone.orderId)) return { kind: 'conflict' };
    this.reservations.set(tombstone.orderId, structuredClone(tombstone));
    return { kind: 'applied' };
  }

  async readSweepWindow(createdBefore: string, perShard: number): Promise<SweepWindow> {
    const byShard = new Map<string, SweepEntry[]>();
    const position = (entry: { createdAt: string; orderId: string }) => `${entry.createdAt}|${entry.orderId}`;
    const sorted = [...this.reservations.values()].sort((a, b) => position(a).localeCompare(position(b)));
    for (const reservation of sorted) {
      const shard = reservedShardOf(reservation.orderId);
      const checkpoint = this.sweepCheckpoints.get(shard);
      if (reservation.createdAt >= createdBefore || (checkpoint !== undefined && position(reservation) <= checkpoint)) continue;
      const entries = byShard.get(shard) ?? [];
      entries.push({ orderId: reservation.orderId, createdAt: reservation.createdAt, shard, status: reservation.status });
      byShard.set(shard, entries);
    }
    const windows = [...byShard.values()];
    return {
      entries: windows.flatMap((entries) => entries.slice(0, perShard)).sort((a, b) => position(a).localeCompare(position(b))),
      more: windows.some((entries) => entries.length > perShard),
    };
  }

  async saveSweepProgress(examined: SweepEntry[]) {
    for (const entry of examined) {
      const value = `${entry.createdAt}|${entry.orderId}`;
      if ((this.sweepCheckpoints.get(entry.shard) ?? '') < value) this.sweepCheckpoints.set(entry.shard, value);
    }
  }

  private shortSkus(move: StockMove, lines: { sku: string; quantity: number }[]): string[] {
    return lines.filter(({ sku, quantity }) => {
      const item = this.stock.get(sku);
      return !item || item[move.from] < quantity;
    }).map((line) => line.sku);
  }

  private move(move: StockMove, lines: { sku: string; quantity: number }[], at: string): void {
    for (const { sku, quantity } of lines) {
      const item = this.stock.get(sku) as StockItem;
      item[move.from] -= quantity;
      item[move.to] += quantity;
      item.updatedAt = at;
    }
  }
}
