import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { LookupSkusOutput, TransientError } from '@order-platform/shared';
import type { Catalogue } from '../domain/catalogue';

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
