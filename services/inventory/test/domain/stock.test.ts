import { applySetting, type StockItem } from '../../src/domain/stock';

const at = '2026-03-01T10:00:00.000Z';

test('a new SKU starts with nothing held', () => {
  expect(applySetting('A', undefined, { price: 500, currency: 'EUR', available: 7 }, at)).toEqual({
    sku: 'A',
    price: 500,
    currency: 'EUR',
    available: 7,
    held: 0,
    updatedAt: at,
  });
});

test('an update sets price and shelf stock and keeps what the saga holds', () => {
  const previous: StockItem = { sku: 'A', price: 100, currency: 'USD', available: 1, held: 13, updatedAt: '2026-01-01T00:00:00.000Z' };
  expect(applySetting('A', previous, { price: 250, currency: 'EUR', available: 20 }, at)).toEqual({
    sku: 'A',
    price: 250,
    currency: 'EUR',
    available: 20,
    held: 13,
    updatedAt: at,
  });
});
