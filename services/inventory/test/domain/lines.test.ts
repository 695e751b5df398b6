import fc from 'fast-check';
import { CurrencyMismatch, OrderTooLarge, OutOfStock } from '../../src/domain/errors';
import { caught } from '../support/caught';
import { MAX_DISTINCT_SKUS, mergeLines, priceLines, type CatalogueEntry } from '../../src/domain/lines';

const catalogue = (...entries: [string, number, string?][]) =>
  new Map<string, CatalogueEntry>(entries.map(([sku, price, currency = 'EUR']) => [sku, { sku, price, currency }]));

describe('mergeLines', () => {
  test('sums the quantities of a SKU and keeps the order of first appearance', () => {
    expect(
      mergeLines([
        { sku: 'B', quantity: 2 },
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 3 },
      ]),
    ).toEqual([
      { sku: 'B', quantity: 5 },
      { sku: 'A', quantity: 1 },
    ]);
  });

  test(`accepts ${MAX_DISTINCT_SKUS} distinct SKUs (one transaction) and refuses one more`, () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 }));
    expect(mergeLines(lines(MAX_DISTINCT_SKUS))).toHaveLength(MAX_DISTINCT_SKUS);
    expect(() => mergeLines(lines(MAX_DISTINCT_SKUS + 1))).toThrow(OrderTooLarge);
    expect(() => mergeLines(lines(MAX_DISTINCT_SKUS + 1))).toThrow(/100 distinct SKUs; at most 99/);
  });

  test('refuses a merged quantity beyond exact integers', () => {
    const error = caught(() =>
      mergeLines([
        { sku: 'A', quantity: Number.MAX_SAFE_INTEGER },
        { sku: 'A', quantity: 2 },
      ]),
    );
    expect(error).toBeInstanceOf(OrderTooLarge);
    expect(error.name).toBe('OrderTooLarge');
  });

  test('property: merging keeps each SKU total and leaves one line per SKU', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ sku: fc.constantFrom('A', 'B', 'C', 'D'), quantity: fc.integer({ min: 1, max: 1000 }) }), { minLength: 1 }), (items) => {
        const merged = mergeLines(items);
        expect(new Set(merged.map((l) => l.sku)).size).toBe(merged.length);
        for (const { sku, quantity } of merged) {
          expect(quantity).toBe(items.filter((i) => i.sku === sku).reduce((sum, i) => sum + i.quantity, 0));
        }
      }),
    );
  });
});

describe('priceLines', () => {
  test('prices each line from the catalogue and sums the total in minor units', () => {
    expect(
      priceLines(
        [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 3 },
        ],
        catalogue(['A', 1999], ['B', 250]),
      ),
    ).toEqual({
      lines: [
        { sku: 'A', quantity: 2, unitPrice: 1999, currency: 'EUR' },
        { sku: 'B', quantity: 3, unitPrice: 250, currency: 'EUR' },
      ],
      total: { amount: 4748, currency: 'EUR' },
    });
  });

  test('a free item is priced 0', () => {
    expect(priceLines([{ sku: 'GIFT', quantity: 1 }], catalogue(['GIFT', 0])).total).toEqual({ amount: 0, currency: 'EUR' });
  });

  test('unknown SKUs are out of stock, all of them named', () => {
    const attempt = () =>
      priceLines(
        [
          { sku: 'A', quantity: 1 },
          { sku: 'X', quantity: 1 },
          { sku: 'Y', quantity: 1 },
        ],
        catalogue(['A', 100]),
      );
    const error = caught(attempt) as OutOfStock;
    expect(error).toBeInstanceOf(OutOfStock);
    expect(error.name).toBe('OutOfStock');
    expect(error.skus).toEqual(['X', 'Y']);
    expect(error.details).toEqual({ skus: ['X', 'Y'] });
  });

  test('lines in two currencies cannot make one payment', () => {
    const attempt = () =>
      priceLines(
        [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 1 },
        ],
        catalogue(['A', 100, 'USD'], ['B', 100, 'EUR']),
      );
    expect(attempt).toThrow(CurrencyMismatch);
    expect(attempt).toThrow('The order mixes currencies EUR, USD; one order is charged in one currency');
  });

  test('a total beyond exact integers is refused', () => {
    expect(() => priceLines([{ sku: 'A', quantity: 3 }], catalogue(['A', Number.MAX_SAFE_INTEGER]))).toThrow(OrderTooLarge);
  });

  test('an order without lines is a programming error', () => {
    expect(() => priceLines([], catalogue())).toThrow('An order has at least one line');
  });

  test('property: the total is the sum of unit price times quantity, in the lines\' one currency', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ sku: fc.string({ minLength: 1, maxLength: 5 }), quantity: fc.integer({ min: 1, max: 100 }), price: fc.integer({ min: 0, max: 1_000_000 }) }), {
          minLength: 1,
          selector: (l) => l.sku,
        }),
        (lines) => {
          const priced = priceLines(lines, catalogue(...lines.map((l): [string, number] => [l.sku, l.price])));
          expect(priced.total).toEqual({ amount: lines.reduce((s, l) => s + l.price * l.quantity, 0), currency: 'EUR' });
          expect(priced.lines.map((l) => l.sku)).toEqual(lines.map((l) => l.sku));
        },
      ),
    );
  });
});
