import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '@order-platform/shared';
import { batchGetAll, createDocumentClient, isConditionFailure, putIfAbsent, refusedItem } from '@order-platform/shared/aws/dynamodb';
import type { PageKey } from '../domain/cursor';
import type { OrderRecord } from '../domain/order';
import type { CreateResult, LeavePendingResult, OrderRepository, QueryPage } from '../domain/ports';
import type { FailedOutcome, OrderOutcome } from '../domain/transitions';

export const BY_CUSTOMER_INDEX = 'byCustomer';
const BATCH_GET_MAX_KEYS = 100;

/** The orders table. Every write is conditional, so a retried call can never apply twice. */
export class DynamoOrderRepository implements OrderRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Inserts the order unless its id exists; then answers with the stored one instead. */
  async create(order: OrderRecord): Promise<CreateResult> {
    const result = await putIfAbsent(this.doc, this.tableName, 'orderId', order);
    if (result.stored) return { created: true };
    const existing = result.existing ?? (await this.get(order.orderId, true));
    // Refused, yet gone: nothing sensible to answer.
    if (existing === undefined) throw new Error(`Order ${order.orderId} was refused as existing, yet it is gone`);
    return { created: false, existing };
  }

  async get(orderId: string, consistentRead = false): Promise<OrderRecord | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: consistentRead }),
    );
    return result.Item as OrderRecord | undefined;
  }

  /**
   * One DynamoDB page of a customer's orders, newest first. The byCustomer index holds keys only,
   * so that confirming or failing an order (which changes no key) writes the table alone; the
   * page's orders are then read from the table in one BatchGetItem (eventually consistent, like
   * the index itself), in the index's order.
   */
  async queryByCustomer(customerId: string, limit: number, startAfter: PageKey | undefined): Promise<QueryPage> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_CUSTOMER_INDEX,
        KeyConditionExpression: 'customerId = :customerId',
        ExpressionAttributeValues: { ':customerId': customerId },
        ScanIndexForward: false,
        Limit: limit,
        ...(startAfter ? { ExclusiveStartKey: { ...startAfter } } : {}),
      }),
    );
    const orderIds = (result.Items ?? []).map((key) => String(key.orderId));
    return {
      orders: await this.getMany(orderIds),
      lastEvaluatedKey: result.LastEvaluatedKey as PageKey | undefined,
    };
  }

  /** These orders in this order; one BatchGetItem per 100 ids. */
  private async getMany(orderIds: string[]): Promise<OrderRecord[]> {
    const byId = new Map<string, OrderRecord>();
    for (let from = 0; from < orderIds.length; from += BATCH_GET_MAX_KEYS) {
      const keys = orderIds.slice(from, from + BATCH_GET_MAX_KEYS).map((orderId) => ({ orderId }));
      const found = await batchGetAll(this.doc, { [this.tableName]: { Keys: keys } }, 'The orders read');
      for (const item of found[this.tableName] ?? []) byId.set(String(item.orderId), item as unknown as OrderRecord);
    }
    // An order the index still lists but the table no longer holds is left out.
    return orderIds.flatMap((orderId) => byId.get(orderId) ?? []);
  }

  confirm(orderId: string, outcome: OrderOutcome, now: string): Promise<LeavePendingResult> {
    return this.leavePending(orderId, 'CONFIRMED', outcome, now);
  }

  markFailed(orderId: string, outcome: FailedOutcome, now: string): Promise<LeavePendingResult> {
    return this.leavePending(orderId, 'FAILED', outcome, now);
  }

  /**
   * PENDING -> status, recording the outcome, only if the order is still PENDING. The payment
   * token goes: only a pending order's saga can need it.
   */
  private async leavePending(
    orderId: string,
    status: 'CONFIRMED' | 'FAILED',
    outcome: OrderOutcome | FailedOutcome,
    now: string,
  ): Promise<LeavePendingResult> {
    const fields: Record<string, unknown> = { ...outcome, status, updatedAt: now };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pending': 'PENDING' };
    const assignments = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => {
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        return `#${field} = :${field}`;
      });
    names['#status'] = 'status';
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { orderId },
          UpdateExpression: `SET ${assignments.join(', ')} REMOVE paymentToken`,
          ConditionExpression: 'attribute_exists(orderId) AND #status = :pending',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { updated: true, order: result.Attributes as OrderRecord };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { updated: false, current: refusedItem<OrderRecord>(error) };
    }
  }
}

/** The repository the handlers use: one client per container, table from ORDERS_TABLE_NAME. */
export function orderRepositoryFromEnv(): DynamoOrderRepository {
  return new DynamoOrderRepository(createDocumentClient(), requireEnv('ORDERS_TABLE_NAME'));
}
