import * as z from 'zod/mini';
import { schema } from '@order-platform/shared';

/**
 * The opaque pagination cursor of GET /orders: base64url of the byCustomer index key of the
 * last order on the page (what DynamoDB calls LastEvaluatedKey). Decoding validates it fully,
 * so a forged or truncated cursor is a 400 and never reaches DynamoDB.
 */

export const PageKey = /* @__PURE__ */ schema(() => z.strictObject({
  orderId: z.string().check(z.regex(/^ord_[A-Za-z0-9]{1,60}$/)),
  customerId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  createdAt: z.iso.datetime(),
}));
export type PageKey = z.infer<typeof PageKey>;

export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
}

export function encodeCursor(key: PageKey): string {
  // Fixed key order: the same position always gives the same cursor.
  const ordered = { orderId: key.orderId, customerId: key.customerId, createdAt: key.createdAt };
  return Buffer.from(JSON.stringify(ordered), 'utf8').toString('base64url');
}

/** Decodes a cursor issued for `customerId`'s listing; throws InvalidCursor otherwise. */
export function decodeCursor(cursor: string, customerId: string): PageKey {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursor('cursor is not base64url');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor('cursor is not one this API issued');
  }
  const parsed = PageKey.safeParse(json);
  if (!parsed.success) throw new InvalidCursor('cursor is not one this API issued');
  if (parsed.data.customerId !== customerId) {
    throw new InvalidCursor('cursor belongs to another customer\'s listing');
  }
  return parsed.data;
}

/** The key of an order row in the byCustomer index, for a cursor that resumes after it. */
export function pageKeyOf(order: { orderId: string; customerId: string; createdAt: string }): PageKey {
  return { orderId: order.orderId, customerId: order.customerId, createdAt: order.createdAt };
}

/**
 * Cuts one page out of a query that asked for `limit + 1` items: the extra item only proves that
 * more follow, so the last page never ends with an empty "next" page. When DynamoDB stopped
 * early (1 MB read), its LastEvaluatedKey resumes the listing instead.
 */
export function pageOf<T extends { orderId: string; customerId: string; createdAt: string }>(
  items: T[],
  limit: number,
  lastEvaluatedKey: PageKey | undefined,
): { page: T[]; next: PageKey | undefined } {
  if (items.length > limit) {
    const page = items.slice(0, limit);
    return { page, next: pageKeyOf(page[page.length - 1]!) };
  }
  return { page: items, next: lastEvaluatedKey ? pageKeyOf(lastEvaluatedKey) : undefined };
}
