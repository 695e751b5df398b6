/** The inventory catalogue as the order API sees it: which of these SKUs does it lack? */
export interface Catalogue {
  unknownSkus(skus: readonly string[]): Promise<string[]>;
}

/**
 * SKUs the catalogue was seen to hold, kept for a while so that a busy container does not ask
 * again for every order. Only known SKUs are kept: a SKU added a moment ago is never refused
 * because of an earlier answer. A SKU removed from the catalogue is still accepted until its
 * entry expires; the saga then fails the order OUT_OF_STOCK, charging nothing.
 */
export class KnownSkuCache {
  private readonly knownUntil = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  /** The SKUs not known to exist now (each once, in request order). */
  unconfirmed(skus: readonly string[]): string[] {
    const now = this.now();
    return [...new Set(skus)].filter((sku) => (this.knownUntil.get(sku) ?? 0) <= now);
  }

  remember(skus: readonly string[]): void {
    if (this.ttlMs <= 0) return;
    if (this.knownUntil.size + skus.length > this.maxEntries) this.knownUntil.clear();
    const until = this.now() + this.ttlMs;
    for (const sku of skus) this.knownUntil.set(sku, until);
  }
}

/** A catalogue in front of another, answering for the SKUs it already knows. */
export class CachedCatalogue implements Catalogue {
  constructor(
    private readonly source: Catalogue,
    private readonly cache: KnownSkuCache,
  ) {}

  async unknownSkus(skus: readonly string[]): Promise<string[]> {
    const toAsk = this.cache.unconfirmed(skus);
    if (toAsk.length === 0) return [];
    const unknown = await this.source.unknownSkus(toAsk);
    const missing = new Set(unknown);
    this.cache.remember(toAsk.filter((sku) => !missing.has(sku)));
    return unknown;
  }
}

/**
 * What a 422 says of an order naming SKUs the catalogue lacks: one sentence, and a field error
 * (JSON Pointer, as for every validation error) per offending line.
 */
export function unknownSkusProblem(items: ReadonlyArray<{ sku: string }>, unknown: readonly string[]) {
  const missing = new Set(unknown);
  const list = unknown.map((sku) => `"${sku}"`).join(', ');
  return {
    detail: unknown.length === 1 ? `items: SKU ${list} is not in the catalogue` : `items: SKUs ${list} are not in the catalogue`,
    errors: items.flatMap(({ sku }, index) => (missing.has(sku) ? [{ pointer: `/items/${index}/sku`, message: `SKU "${sku}" is not in the catalogue` }] : [])),
  };
}
