import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv, schema } from '@order-platform/shared';
import { backoff, batchGetAll, createDocumentClient } from '@order-platform/shared/aws/dynamodb';
import * as z from 'zod/mini';
import { applySetting, type StockItem, type StockSetting } from '../domain/stock';

const StockRecord = /* @__PURE__ */ schema(() => z.object({
  sku: z.string(),
  price: z.number(),
  currency: z.string(),
  available: z.number(),
  held: z.number(),
  updatedAt: z.string(),
}));

/** The catalogue administration side of the stock table (the saga side lives in DynamoInventoryRepository). */
export class DynamoStockRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly wait: (attempt: number) => Promise<unknown> = backoff,
  ) {}

  /** Which of these SKUs (at most 100, no repeats) the catalogue holds: one BatchGetItem of keys only. */
  async existing(skus: readonly string[]): Promise<Set<string>> {
    const found = await batchGetAll(
      this.db,
      { [this.tableName]: { Keys: skus.map((sku) => ({ sku })), ProjectionExpression: 'sku' } },
      'The catalogue read',
      this.wait,
    );
    return new Set((found[this.tableName] ?? []).map((item) => String(item.sku)));
  }

  async get(sku: string): Promise<StockItem | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { sku } }));
    return result.Item ? StockRecord.parse(result.Item) : undefined;
  }

  /**
   * Sets price and shelf stock in one UpdateItem, leaving held as the saga left it (zero for a new
   * SKU). ALL_OLD tells whether the SKU was new, atomically.
   *
   * It also records the SKU's total stock as this PUT leaves it: `stockedAvailable` (the available
   * it sets) and `stockedHeld` (held at that instant). Every saga move keeps available + held
   * constant, so until the next PUT `available + held = stockedAvailable + stockedHeld`: the stock
   * invariant that `npm run check:invariants` verifies (ops/README.md).
   */
  async put(sku: string, setting: StockSetting, at: string): Promise<{ item: StockItem; created: boolean }> {
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { sku },
        UpdateExpression:
          'SET price = :price, currency = :currency, available = :available, updatedAt = :at, ' +
          'held = if_not_exists(held, :zero), stockedAvailable = :available, stockedHeld = if_not_exists(held, :zero)',
        ExpressionAttributeValues: {
          ':price': setting.price,
          ':currency': setting.currency,
          ':available': setting.available,
          ':at': at,
          ':zero': 0,
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const previous = result.Attributes ? StockRecord.parse(result.Attributes) : undefined;
    return { item: applySetting(sku, previous, setting, at), created: previous === undefined };
  }
}

/** The repository the catalogue functions use: one client per container, table from STOCK_TABLE_NAME. */
export function stockRepositoryFromEnv(): DynamoStockRepository {
  return new DynamoStockRepository(createDocumentClient(), requireEnv('STOCK_TABLE_NAME'));
}
