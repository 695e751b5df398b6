import * as z from 'zod/mini';
import { schema } from '@order-platform/shared';

/** Largest shelf stock one PUT may set for a SKU. */
export const MAX_AVAILABLE = 1_000_000;

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A type error names the field; a missing field says it is required. */
const typed = (field: string, type: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `${field} is required` : `${field} must be ${type}`),
});

export const Sku = /* @__PURE__ */ schema(() => z
  .string(typed('sku', 'a string'))
  .check(z.regex(SKU_PATTERN, 'sku must be 1-64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit')));

/** Path parameters of /inventory/{sku}. */
export const SkuPathParameters = /* @__PURE__ */ schema(() => z.object({ sku: Sku }));

/** Body of PUT /inventory/{sku}: sets the price and the shelf stock; held stays as the saga left it. */
export const PutStockBody = /* @__PURE__ */ schema(() => z.strictObject(
  {
    price: z
      .number(typed('price', 'a number'))
      .check(z.int('price must be a whole number of minor units (e.g. 1999 for 19.99)'), z.gte(0, 'price must be >= 0')),
    currency: z.string(typed('currency', 'a string')).check(z.regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as "EUR"')),
    available: z
      .number(typed('available', 'a number'))
      .check(
        z.int('available must be a whole number'),
        z.gte(0, 'available must be >= 0'),
        z.lte(MAX_AVAILABLE, `available must be <= ${MAX_AVAILABLE}`),
      ),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}: only price, currency and available can be set`
        : undefined,
  },
));
export type PutStockBody = z.infer<typeof PutStockBody>;

/** Body of 200/201 answers of GET and PUT /inventory/{sku}. */
export const StockView = /* @__PURE__ */ schema(() => z.object({
  sku: Sku,
  price: z.number().check(z.int(), z.nonnegative()),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
  available: z.number().check(z.int(), z.nonnegative()),
  held: z.number().check(z.int(), z.nonnegative()),
  updatedAt: z.iso.datetime(),
}));
export type StockView = z.infer<typeof StockView>;
