import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { intEnv, LookupSkusOutput, requireEnv, TransientError } from '@order-platform/shared';
import { CachedCatalogue, KnownSkuCache, type Catalogue } from '../domain/catalogue';

/**
 * The inventory service's catalogue, asked through its lookup function (Lambda Invoke,
 * RequestResponse). The inventory owns the catalogue; the order service never reads its table.
 */
export class InventoryCatalogue implements Catalogue {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async unknownSkus(skus: readonly string[]): Promise<string[]> {
    const output = await this.lambda.send(
      new InvokeCommand({ FunctionName: this.functionName, Payload: Buffer.from(JSON.stringify({ skus })) }),
    );
    const text = output.Payload ? Buffer.from(output.Payload).toString('utf8') : '';
    // The function failed (a timeout, a throttled table): the order cannot be checked now; the client may retry.
    if (output.FunctionError) throw new TransientError(`${this.functionName} failed (${output.FunctionError}): ${text.slice(0, 300)}`);
    const parsed = LookupSkusOutput.safeParse(JSON.parse(text || 'null'));
    if (!parsed.success) throw new Error(`${this.functionName} answered outside its contract: ${text.slice(0, 300)}`);
    return parsed.data.unknown;
  }
}

/**
 * The catalogue the order API checks against: the inventory's lookup function (CATALOGUE_LOOKUP_FUNCTION)
 * behind a cache of known SKUs (KNOWN_SKU_CACHE_SECONDS, default five minutes).
 */
export function catalogueFromEnv(): Catalogue {
  return new CachedCatalogue(
    // One attempt more than the default would hold the HTTP request too long; the client may retry a 503.
    new InventoryCatalogue(new LambdaClient({ maxAttempts: 2 }), requireEnv('CATALOGUE_LOOKUP_FUNCTION')),
    new KnownSkuCache(intEnv('KNOWN_SKU_CACHE_SECONDS', 300) * 1000),
  );
}
