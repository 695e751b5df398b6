import { LookupSkusInput, type LookupSkusOutput } from '@order-platform/shared';
import { createObservability, invokeHandler } from '@order-platform/shared/lambda';
import { stockRepositoryFromEnv } from '../adapters/dynamo-stock-repository';
import { missingFromCatalogue } from '../domain/catalogue';

const observability = createObservability();
const stock = stockRepositoryFromEnv();

/**
 * Invoked by the order API before it accepts an order (inventory-<stage>-lookupSkus): which SKUs
 * the catalogue lacks. A read only, so any number of repeats is harmless.
 */
export const handler = invokeHandler(observability, LookupSkusInput, async ({ skus }): Promise<LookupSkusOutput> => {
  const unique = [...new Set(skus)];
  const unknown = missingFromCatalogue(unique, await stock.existing(unique));
  if (unknown.length > 0) observability.logger.info('SKUs not in the catalogue', { unknown });
  return { unknown };
});
