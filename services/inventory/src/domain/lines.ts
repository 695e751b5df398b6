import type { OrderLine } from '@order-platform/shared/contracts/saga';
import type { Money, PricedLine } from '@order-platform/shared/contracts/events';
import { CurrencyMismatch, OrderTooLarge, OutOfStock } from './errors';

/** DynamoDB TransactWriteItems takes at most 100 items: the reservation plus one update per SKU. */
export const MAX_DISTINCT_SKUS = 99;

/** The price of a SKU as the catalogue holds it. */
export interface CatalogueEntry {
  sku: string;
  price: number;
  currency: string;
}

export interface PricedOrder {
  lines: PricedLine[];
  total: Money;
}

/**
 * One line per SKU (quantities summed, first appearance keeps its place): a transaction may
 * touch an item only once, and "2 x A" plus "3 x A" must need 5 in stock, not 3.
 */
export function mergeLines(items: readonly OrderLine[]): OrderLine[] {
  const merged = new Map<string, number>();
  for (const { sku, quantity } of items) merged.set(sku, (merged.get(sku) ?? 0) + quantity);
  const lines = [...merged].map(([sku, quantity]) => ({ sku, quantity }));
  if (lines.length > MAX_DISTINCT_SKUS) {
    throw new OrderTooLarge(`The order has ${lines.length} distinct SKUs; at most ${MAX_DISTINCT_SKUS} can be reserved at once`, {
      distinctSkus: lines.length,
    });
  }
  const tooLarge = lines.find((line) => !Number.isSafeInteger(line.quantity));
  if (tooLarge) throw new OrderTooLarge(`The quantity of ${tooLarge.sku} is too large`, { sku: tooLarge.sku });
  return lines;
}

/**
 * Prices merged lines from the catalogue (never from the client). Unknown SKUs are out of stock;
 * one order is paid in one currency.
 */
export function priceLines(lines: readonly OrderLine[], catalogue: ReadonlyMap<string, CatalogueEntry>): PricedOrder {
  if (lines.length === 0) throw new Error('An order has at least one line');
  const unknown = lines.filter((line) => !catalogue.has(line.sku)).map((line) => line.sku);
  if (unknown.length > 0) throw new OutOfStock(unknown);

  const priced: PricedLine[] = lines.map(({ sku, quantity }) => {
    const entry = catalogue.get(sku) as CatalogueEntry;
    return { sku, quantity, unitPrice: entry.price, currency: entry.currency };
  });
  const currencies = [...new Set(priced.map((line) => line.currency))];
  if (currencies.length > 1) throw new CurrencyMismatch(currencies.sort());

  const amount = priced.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  if (!Number.isSafeInteger(amount)) throw new OrderTooLarge('The order total exceeds what can be charged exactly', { amount });
  return { lines: priced, total: { amount, currency: currencies[0] as string } };
}
