import type { Money } from '@order-platform/shared';

const minorDigitsCache = new Map<string, number>();

/**
 * How many minor-unit digits a currency has (EUR 2, JPY 0, KWD 3), from the runtime's ISO 4217
 * data. Unknown but well-formed codes get Intl's default of 2.
 */
export function minorUnitDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

function groupThousands(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Formats integer minor units exactly (no floating point): 123450 EUR -> "1,234.50 EUR",
 * 1500 JPY -> "1,500 JPY". The ISO code rather than a symbol keeps the text unambiguous in
 * every mail client and locale.
 */
export function formatMoney({ amount, currency }: Money): string {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`Money amount must be a non-negative safe integer of minor units, got ${amount}`);
  }
  const digits = minorUnitDigits(currency);
  const minorText = String(amount).padStart(digits + 1, '0');
  const major = groupThousands(minorText.slice(0, minorText.length - digits));
  const minor = minorText.slice(minorText.length - digits);
  return `${digits === 0 ? major : `${major}.${minor}`} ${currency}`;
}

/** Multiplies a unit price by a quantity in minor units; the line keeps the unit's currency. */
export function lineTotal(unitPrice: number, quantity: number, currency: string): Money {
  return { amount: unitPrice * quantity, currency };
}
