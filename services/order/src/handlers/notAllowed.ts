import { methodNotAllowed } from '@order-platform/shared/lambda';

/** Backs the `ANY` routes: every method the order API does not take answers 405 with Allow. */
export const handler = methodNotAllowed({
  '/orders': ['GET', 'POST'],
  '/orders/{orderId}': ['GET'],
});
