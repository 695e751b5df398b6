import { createObservability, httpHandler, methodNotAllowed } from '@order-platform/shared/lambda';
import { ROUTES } from '../schemas';

/** ANY /payments/{orderId}: 405 with Allow for every method the routes do not take. */
export const handler = httpHandler(createObservability(), {}, methodNotAllowed(ROUTES));
