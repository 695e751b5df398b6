import { BusinessError } from '@order-platform/shared/errors';
import { SagaErrors } from '@order-platform/shared/contracts/saga';

/*
 * Business outcomes of the inventory steps. The name is the errorType the state machine's Catch
 * matches, so it is pinned (minifiers rename classes). No retry changes any of them.
 */

/** Some SKUs are unknown or lack stock; nothing was reserved. */
export class OutOfStock extends BusinessError {
  override readonly name = SagaErrors.OutOfStock;
  constructor(readonly skus: string[]) {
    super(`Not enough stock for ${skus.join(', ')}`, { skus });
  }
}

/** The lines are priced in more than one currency, so they cannot make one payment. */
export class CurrencyMismatch extends BusinessError {
  override readonly name = 'CurrencyMismatch';
  constructor(readonly currencies: string[]) {
    super(`The order mixes currencies ${currencies.join(', ')}; one order is charged in one currency`, { currencies });
  }
}

/** More distinct SKUs than one DynamoDB transaction holds, or a total beyond exact integers. */
export class OrderTooLarge extends BusinessError {
  override readonly name = 'OrderTooLarge';
}

/** The order's reservation was already released (compensated or expired): it cannot be reserved again. */
export class ReservationReleased extends BusinessError {
  override readonly name = 'ReservationReleased';
  constructor(readonly orderId: string) {
    super(`The reservation of order ${orderId} was released; the order cannot reserve stock again`, { orderId });
  }
}

/** Nothing reserved to ship: the reservation expired, was compensated or never existed. */
export class ShippingFailed extends BusinessError {
  override readonly name = SagaErrors.ShippingFailed;
  constructor(
    readonly orderId: string,
    readonly reason: 'NOT_RESERVED' | 'RELEASED',
  ) {
    super(
      reason === 'RELEASED'
        ? `The reservation of order ${orderId} was released (expired or compensated); nothing to ship`
        : `Order ${orderId} has no reservation; nothing to ship`,
      { orderId, reason },
    );
  }
}

/** Every business error name a reserve step can throw; the saga treats all of them as "could not reserve". */
export const RESERVE_BUSINESS_ERRORS = [SagaErrors.OutOfStock, 'CurrencyMismatch', 'OrderTooLarge', 'ReservationReleased'] as const;

/**
 * Stock that cannot make a move its reservation says it holds (held below the
 * reservation's quantity). A bug or a hand edit, not a business outcome and not transient: the
 * step fails loudly so an operator looks at it.
 */
export class InventoryInconsistent extends Error {
  override readonly name = 'InventoryInconsistent';
}
