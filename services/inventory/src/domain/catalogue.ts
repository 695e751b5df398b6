/** The requested SKUs the catalogue lacks: each once, in the order they were asked for. */
export function missingFromCatalogue(requested: readonly string[], present: ReadonlySet<string>): string[] {
  return [...new Set(requested)].filter((sku) => !present.has(sku));
}
