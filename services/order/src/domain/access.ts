import type { Principal } from '@order-platform/shared/auth';

/**
 * Who may see and create which orders. The caller is the customer its access token names (`sub`);
 * nothing the client writes in a body or a query can make it someone else.
 *
 * - Creating: the order belongs to the caller. A `customerId` in the body is optional; when
 *   present it must be the caller's own (else refused: 403), for admins too.
 * - Reading one order: the owner, or an admin. Anyone else is told it does not exist (404), so
 *   order ids reveal nothing about other customers.
 * - Listing: the caller's own orders (`customerId` absent or the caller's); an admin may name
 *   any customer.
 */

export type Access<T> = { allowed: true; value: T } | { allowed: false; reason: string };

const allow = <T>(value: T): Access<T> => ({ allowed: true, value });
const deny = <T>(reason: string): Access<T> => ({ allowed: false, reason });

/** The customer a new order belongs to. */
export function ownerOfNewOrder(principal: Principal, requestedCustomerId: string | undefined): Access<string> {
  if (requestedCustomerId === undefined || requestedCustomerId === principal.customerId) return allow(principal.customerId);
  return deny(`customerId "${requestedCustomerId}" is not you: orders are placed for the customer of the access token (${principal.customerId}); omit customerId`);
}

/** Whether the caller may see this order (when not: answer as if it did not exist). */
export function canReadOrder(principal: Principal, order: { customerId: string }): boolean {
  return principal.isAdmin || order.customerId === principal.customerId;
}

/** Whose orders a listing shows. */
export function customerToList(principal: Principal, requestedCustomerId: string | undefined): Access<string> {
  if (requestedCustomerId === undefined || requestedCustomerId === principal.customerId) return allow(principal.customerId);
  if (principal.isAdmin) return allow(requestedCustomerId);
  return deny(`customerId "${requestedCustomerId}" is not you: you can list only your own orders; omit customerId`);
}
