import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Json } from '../core/events';
import type { StockSeed } from '../core/replay';
import { InspectorError } from '../errors';
import type { HeaderSource } from './order-api-auth';

/**
 * The local stack's data a replay seeds: the order row, written straight into the orders table
 * (the order API creates orders only under ids of its own), and stock through the inventory API
 * (PUT /inventory/{sku}, an operator token of the development issuer). Local stack only.
 */
export interface LocalDataOptions {
  dynamodbEndpoint: string;
  region: string;
  ordersTable: string;
  inventoryApi: string;
  headers: HeaderSource;
}

export type SeedOutcome = 'written' | 'exists' | 'overwritten';

export class LocalData {
  private readonly db: DynamoDBDocumentClient;

  constructor(private readonly options: LocalDataOptions) {
    this.db = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: options.dynamodbEndpoint, region: options.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 2 }),
    );
  }

  async hasOrder(orderId: string): Promise<boolean> {
    const out = await this.db.send(new GetCommand({ TableName: this.options.ordersTable, Key: { orderId }, ConsistentRead: true }));
    return out.Item !== undefined;
  }

  /** Writes the order row unless one exists (then only with `force`). */
  async seedOrder(order: Json, force: boolean): Promise<SeedOutcome> {
    const existed = await this.hasOrder(String(order['orderId']));
    if (existed && !force) return 'exists';
    await this.db.send(new PutCommand({ TableName: this.options.ordersTable, Item: order }));
    return existed ? 'overwritten' : 'written';
  }

  /** Sets a SKU's price and stock unless the catalogue has it (then only with `force`). */
  async seedStock(seed: StockSeed, force: boolean): Promise<SeedOutcome> {
    const url = `${this.options.inventoryApi.replace(/\/+$/u, '')}/inventory/${encodeURIComponent(seed.sku)}`;
    const headers = await this.options.headers();
    const existing = await fetch(url, { headers: { accept: 'application/json', ...headers } });
    if (existing.status !== 404 && !existing.ok) throw new InspectorError('UNAVAILABLE', `GET ${url} answered ${existing.status}`);
    const existed = existing.ok;
    if (existed && !force) return 'exists';
    const put = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ price: seed.price, currency: seed.currency, available: seed.available }),
    });
    if (!put.ok) throw new InspectorError('UNAVAILABLE', `PUT ${url} answered ${put.status}: ${(await put.text()).slice(0, 200)}`);
    return existed ? 'overwritten' : 'written';
  }

  close(): void {
    this.db.destroy();
  }
}
