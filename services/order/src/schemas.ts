import * as z from 'zod/mini';
import { FailureReason, Money, PricedLine, schema } from '@order-platform/shared';

/**
 * The order API's HTTP contract: request bodies, path and query parameters, headers and the
 * representations it answers with. Handlers validate with these; the OpenAPI document is
 * generated from them.
 */

export const MAX_LINES = 50;
export const MAX_QUANTITY = 1000;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** "x is required" when absent, else "x must be <kind>": zod's one message per type otherwise. */
function requiredAs(field: string, kind: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? `${field} is required` : `${field} must be ${kind}`);
}

/** Messages of a strict object: it must be an object and may carry only the listed fields. */
function strictFields(what: string, allowed: string[]) {
  return (issue: z.core.$ZodRawIssue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${what} has unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed: ${allowed.join(', ')}`;
    }
    if (issue.code === 'invalid_type') return `${what} must be a JSON object`;
    return undefined;
  };
}

export const CustomerId = /* @__PURE__ */ schema(() => z
  .string({ error: requiredAs('customerId', 'a string') })
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'customerId must be 1 to 64 characters of A-Z, a-z, 0-9, "_" or "-"')));

export const Sku = /* @__PURE__ */ schema(() => z
  .string({ error: requiredAs('sku', 'a string') })
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'sku must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" or "-", starting with a letter or digit')));

export const Quantity = /* @__PURE__ */ schema(() => z
  .int({ error: requiredAs('quantity', 'an integer') })
  .check(z.gte(1, 'quantity must be at least 1'), z.lte(MAX_QUANTITY, `quantity must be at most ${MAX_QUANTITY}`)));

export const OrderItem = /* @__PURE__ */ schema(() => z.strictObject({ sku: Sku, quantity: Quantity }, { error: strictFields('an order line', ['sku', 'quantity']) }));
export type OrderItem = z.infer<typeof OrderItem>;

export const OrderItems = /* @__PURE__ */ schema(() => z
  .array(OrderItem, { error: requiredAs('items', 'an array of {sku, quantity}') })
  .check(
    z.minLength(1, 'items must contain at least 1 line'),
    z.maxLength(MAX_LINES, `items must contain at most ${MAX_LINES} lines`),
    z.superRefine((items, ctx) => {
      // One line per SKU: a repeated SKU is almost always a client bug, and merging it silently would hide it.
      const firstLine = new Map<string, number>();
      items.forEach((item, index) => {
        const first = firstLine.get(item.sku);
        if (first === undefined) {
          firstLine.set(item.sku, index);
          return;
        }
        ctx.addIssue({
          code: 'custom',
          path: [index, 'sku'],
          message: `sku "${item.sku}" appears more than once (lines ${first} and ${index}); put its whole quantity on one line`,
        });
      });
    }),
  ));

/**
 * POST /orders body. Prices are never taken from the client: the inventory catalogue prices the lines.
 * The order belongs to the caller (the access token's `sub`): `customerId` may be left out, and
 * when given must be the caller's own (else 403; see src/domain/access.ts).
 */
export const CreateOrderBody = /* @__PURE__ */ schema(() => z.strictObject(
  {
    customerId: z.optional(CustomerId),
    email: z.email({ error: requiredAs('email', 'a valid email address') }).check(z.maxLength(254, 'email must be at most 254 characters')),
    items: OrderItems,
    paymentToken: z
      .string({ error: requiredAs('paymentToken', 'a string') })
      .check(
        z.minLength(1, 'paymentToken must not be empty'),
        z.maxLength(128, 'paymentToken must be at most 128 characters'),
        // A card token (e.g. tok_visa): no spaces, controls or unicode that a provider would choke on.
        z.regex(/^[\x21-\x7E]*$/, 'paymentToken must be visible ASCII characters only (no spaces, control characters or unicode)'),
      ),
  },
  { error: strictFields('the order', ['customerId', 'email', 'items', 'paymentToken']) },
));
export type CreateOrderBody = z.infer<typeof CreateOrderBody>;

/** The optional `Idempotency-Key` request header of POST /orders. */
export const IdempotencyKey = /* @__PURE__ */ schema(() => z
  .string()
  .check(z.regex(/^[\x21-\x7E]{1,128}$/, 'Idempotency-Key must be 1 to 128 visible ASCII characters (no spaces)')));

export const OrderId = /* @__PURE__ */ schema(() => z
  .string({ error: requiredAs('orderId', 'a string') })
  .check(z.regex(/^ord_[A-Za-z0-9]{1,60}$/, 'orderId must look like "ord_" followed by 1 to 60 letters or digits')));

/** GET /orders/{orderId} path parameters. */
export const GetOrderPath = /* @__PURE__ */ schema(() => z.strictObject({ orderId: OrderId }));

/**
 * GET /orders query parameters (all strings on the wire). Without `customerId`: the caller's
 * orders; with it: the caller's own id, or any customer's for an admin (else 403).
 */
export const ListOrdersQuery = /* @__PURE__ */ schema(() => z.strictObject(
  {
    customerId: z.optional(CustomerId),
    // What classic's `.regex(...).transform(Number).pipe(z.int()...).default(20)` builds, written out.
    limit: z._default(
      z.pipe(
        z.pipe(z.string().check(z.regex(/^[0-9]{1,3}$/, `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`)), z.transform(Number)),
        z.int().check(
          z.gte(1, `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`),
          z.lte(MAX_PAGE_SIZE, `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`),
        ),
      ),
      DEFAULT_PAGE_SIZE,
    ),
    cursor: z.optional(z.string().check(z.minLength(1, 'cursor must not be empty'), z.maxLength(2048, 'cursor is too long'))),
  },
  { error: strictFields('the query', ['customerId', 'limit', 'cursor']) },
));
export type ListOrdersQuery = z.infer<typeof ListOrdersQuery>;

export const OrderStatus = /* @__PURE__ */ schema(() => z.enum(['PENDING', 'CONFIRMED', 'FAILED']));
export type OrderStatus = z.infer<typeof OrderStatus>;

/** The representation of an order in every response (never the payment token or internal hashes). */
export const OrderView = /* @__PURE__ */ schema(() => z.object({
  orderId: OrderId,
  status: OrderStatus,
  customerId: CustomerId,
  email: z.email(),
  items: z.array(z.object({ sku: z.string(), quantity: z.int().check(z.positive()) })),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  failureReason: z.optional(FailureReason),
  lines: z.optional(z.array(PricedLine)),
  total: z.optional(Money),
  paymentId: z.optional(z.string()),
  shipmentId: z.optional(z.string()),
  executionArn: z.optional(z.string()),
}));
export type OrderView = z.infer<typeof OrderView>;

/** GET /orders response: newest first; `nextCursor` is present while more orders follow. */
export const OrderPage = /* @__PURE__ */ schema(() => z.object({
  items: z.array(OrderView),
  nextCursor: z.optional(z.string()),
}));
export type OrderPage = z.infer<typeof OrderPage>;
