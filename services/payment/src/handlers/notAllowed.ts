import { createObservability, httpHandler, methodNotAllowed } from '@order-platform/shared/lambda';
import { ROUTES } from '../schemas';

/**
 * ANY /payments/{orderId}: 405 with Allow for every method the routes do not take. It reveals no
 * data, so it checks no token itself; in AWS the route's JWT authorizer answers 401 first.
 */
export const handler = httpHandler(createObservability(), { auth: 'public' }, methodNotAllowed(ROUTES));
