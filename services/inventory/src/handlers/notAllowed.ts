// The module path rather than the package index: this function needs nothing else (no zod, no Powertools).
import { methodNotAllowed } from '@order-platform/shared/lambda/method-not-allowed';

/** ANY /inventory/{sku} that no other route takes: 405 with the methods the path does take. */
export const handler = methodNotAllowed({ '/inventory/{sku}': ['GET', 'PUT'] });
