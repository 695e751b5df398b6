/** A SKU's catalogue entry and stock counters, as the stock table holds them. */
export interface StockItem {
  sku: string;
  /** Unit price in minor units of `currency`. */
  price: number;
  currency: string;
  available: number;
  /** Units held by orders: reserved, or shipped and not given back. */
  held: number;
  updatedAt: string;
}

/** What an administrator sets with PUT: price and shelf stock; held belongs to the saga. */
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
    held: previous?.held ?? 0,
    updatedAt: at,
  };
}
