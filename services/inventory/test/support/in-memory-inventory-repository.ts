import type { InventoryRepository, WriteOutcome } from '../../src/domain/inventory';
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
      reserved: 0,
      shipped: 0,
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...item,
    });
  }

  async loadForReserve(orderId: string, skus: string[]) {
    const catalogue = new Map<string, CatalogueEntry>();
    for (const sku of skus) {
      const item = this.stock.get(sku);
      if (item) catalogue.set(sku, { sku, price: item.price, currency: item.currency });
    }
    const existing = this.reservations.get(orderId);
    return existing ? { existing: structuredClone(existing), catalogue } : { catalogue };
  }

  async findReservation(orderId: string) {
    const found = this.reservations.get(orderId);
    return found ? structuredClone(found) : undefined;
  }

  async createReservation(reservation: Reservation): Promise<WriteOutcome> {
    const existing = this.reservations.get(reservation.orderId);
    if (existing) return { kind: 'conflict', current: structuredClone(existing) };
    const short = this.shortSkus({ from: 'available', to: 'reserved' }, reservation.lines);
    if (short.length > 0) return { kind: 'insufficient', skus: short };
    this.move({ from: 'available', to: 'reserved' }, reservation.lines, reservation.createdAt);
    this.reservations.set(reservation.orderId, structuredClone(reservation));
    return { kind: 'applied' };
  }

  async applyTransition(transition: Transition): Promise<WriteOutcome> {
    const current = this.reservations.get(transition.orderId);
    if (current?.status !== transition.from) return { kind: 'conflict' };
    const short = this.shortSkus(transition.move, transition.lines);
    if (short.length > 0) return { kind: 'insufficient', skus: short };
    this.move(transition.move, transition.lines, transition.at);
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

  async findReservedBefore(createdBefore: string, limit: number) {
    return [...this.reservations.values()]
      .filter((r) => r.status === 'RESERVED' && r.createdAt < createdBefore)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .slice(0, limit)
      .map((r) => r.orderId);
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
