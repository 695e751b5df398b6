import fc from 'fast-check';
import { formatMoney, lineTotal, minorUnitDigits } from '../../src/domain/money';

test.each([
  [{ amount: 0, currency: 'EUR' }, '0.00 EUR'],
  [{ amount: 5, currency: 'EUR' }, '0.05 EUR'],
  [{ amount: 4499, currency: 'EUR' }, '44.99 EUR'],
  [{ amount: 123456789, currency: 'USD' }, '1,234,567.89 USD'],
  [{ amount: 1500, currency: 'JPY' }, '1,500 JPY'],
  [{ amount: 1234, currency: 'KWD' }, '1.234 KWD'],
])('formats %j as %s', (money, text) => {
  expect(formatMoney(money)).toBe(text);
});

test('minor unit digits come from ISO 4217', () => {
  expect([minorUnitDigits('EUR'), minorUnitDigits('JPY'), minorUnitDigits('BHD')]).toEqual([2, 0, 3]);
});

test.each([-1, 1.5, Number.MAX_SAFE_INTEGER + 1])('rejects %p minor units', (amount) => {
  expect(() => formatMoney({ amount, currency: 'EUR' })).toThrow(RangeError);
});

test('line total is unit price times quantity in minor units', () => {
  expect(lineTotal(1250, 3, 'EUR')).toEqual({ amount: 3750, currency: 'EUR' });
});

/** Reads a formatted amount back into minor units: the format loses nothing. */
function parseFormatted(text: string): { amount: number; currency: string } {
  const [number = '', currency = ''] = text.split(' ');
  const [major = '', minor = ''] = number.replace(/,/g, '').split('.');
  return { amount: Number(major + minor), currency };
}

test('formatting is exact for every amount: it reads back to the same minor units', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('EUR', 'USD', 'JPY', 'KWD', 'GBP'), (amount, currency) => {
      const text = formatMoney({ amount, currency });
      expect(parseFormatted(text)).toEqual({ amount, currency });
      expect(text).toMatch(/^\d{1,3}(,\d{3})*(\.\d+)? [A-Z]{3}$/);
    }),
  );
});
