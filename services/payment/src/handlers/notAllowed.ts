// The module path rather than the package index: this function needs nothing else (no zod, no Powertools).
import { methodNotAllowed } from '@order-platform/shared/lambda/method-not-allowed';

/**
 * ANY /payments/{orderId}: 405 with Allow for every method the routes do not take. It reveals no
 * data, so it checks no token itself; in AWS the route's JWT authorizer answers 401 first.
 */
export const handler = methodNotAllowed({ '/payments/{orderId}': ['GET'] });
