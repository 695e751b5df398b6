import { CachedCatalogue, KnownSkuCache, unknownSkusProblem, type Catalogue } from '../../src/domain/catalogue';

/** A catalogue holding these SKUs, recording what it is asked. */
function catalogueOf(...held: string[]): Catalogue & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    unknownSkus: async (skus) => {
      asked.push([...skus]);
      return skus.filter((sku) => !held.includes(sku));
    },
  };
}

test('known SKUs are not asked again until their entry expires', async () => {
  let now = 0;
  const source = catalogueOf('A', 'B');
  const catalogue = new CachedCatalogue(source, new KnownSkuCache(1_000, () => now));
  expect(await catalogue.unknownSkus(['A', 'B'])).toEqual([]);
  expect(await catalogue.unknownSkus(['B', 'A'])).toEqual([]);
  expect(source.asked).toEqual([['A', 'B']]);
  now = 1_000;
  expect(await catalogue.unknownSkus(['A'])).toEqual([]);
  expect(source.asked).toEqual([['A', 'B'], ['A']]);
});

test('unknown SKUs are never remembered: a SKU added since is accepted at once', async () => {
  const held = ['A'];
  const source: Catalogue & { asked: number } = { asked: 0, unknownSkus: async (skus) => (source.asked++, skus.filter((s) => !held.includes(s))) };
  const catalogue = new CachedCatalogue(source, new KnownSkuCache(60_000));
  expect(await catalogue.unknownSkus(['A', 'NEW'])).toEqual(['NEW']);
  held.push('NEW');
  expect(await catalogue.unknownSkus(['A', 'NEW'])).toEqual([]);
  // Only NEW was asked the second time: A was known.
  expect(source.asked).toBe(2);
});

test('only the SKUs not known are asked, each once', async () => {
  const source = catalogueOf('A', 'B');
  const catalogue = new CachedCatalogue(source, new KnownSkuCache(60_000));
  await catalogue.unknownSkus(['A']);
  expect(await catalogue.unknownSkus(['A', 'B', 'B', 'X'])).toEqual(['X']);
  expect(source.asked).toEqual([['A'], ['B', 'X']]);
});

test('a TTL of 0 asks every time', async () => {
  const source = catalogueOf('A');
  const catalogue = new CachedCatalogue(source, new KnownSkuCache(0));
  await catalogue.unknownSkus(['A']);
  await catalogue.unknownSkus(['A']);
  expect(source.asked).toHaveLength(2);
});

test('the cache is bounded: past its size it starts again rather than grow', () => {
  const cache = new KnownSkuCache(60_000, () => 0, 3);
  cache.remember(['A', 'B', 'C']);
  expect(cache.unconfirmed(['A', 'B', 'C'])).toEqual([]);
  cache.remember(['D']);
  expect(cache.unconfirmed(['A', 'D'])).toEqual(['A']);
});

test('the problem names every unknown SKU and points at each of its lines', () => {
  const items = [{ sku: 'A' }, { sku: 'X' }, { sku: 'Y' }];
  expect(unknownSkusProblem(items, ['X'])).toEqual({
    detail: 'items: SKU "X" is not in the catalogue',
    errors: [{ pointer: '/items/1/sku', message: 'SKU "X" is not in the catalogue' }],
  });
  expect(unknownSkusProblem(items, ['X', 'Y']).detail).toBe('items: SKUs "X", "Y" are not in the catalogue');
  expect(unknownSkusProblem(items, ['X', 'Y']).errors.map((e) => e.pointer)).toEqual(['/items/1/sku', '/items/2/sku']);
});
