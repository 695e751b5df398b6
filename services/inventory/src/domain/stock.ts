/** A SKU's catalogue entry and stock counters, as the stock table holds them. */
export interface StockItem {
  sku: string;
  /** Unit price in minor units of `currency`. */
  price: number;
  currency: string;
  available: number;
  reserved: number;
  shipped: number;
  updatedAt: string;
}

/** What an administrator sets with PUT: price and shelf stock; reserved and shipped belong to the saga. */
export interface StockSetting {
  price: number;
  currency: string;
  available: number;
}

/** The stock item after a PUT, given what was there before (undefined when the SKU is new). */
export function applySetting(sku: string, previous: StockItem | undefined, setting: StockSetting, at: string): StockItem {
  return {
    sku,
    price: setting.price,
    currency: setting.currency,
    available: setting.available,
    reserved: previous?.reserved ?? 0,
    shipped: previous?.shipped ?? 0,
    updatedAt: at,
  };
}
