import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '@order-platform/shared';
import type { Payment } from '../domain/payment';
import type { PaymentRepository } from '../domain/ports';

/** The payments table: one item per orderId, the item is the Payment itself. */
export class DynamoDbPaymentRepository implements PaymentRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orderId: string): Promise<Payment | undefined> {
    // Strongly consistent: a retry must see the decision its previous attempt stored.
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: true }));
    return Item as Payment | undefined;
  }

  async create(payment: Payment): Promise<boolean> {
    return whenConditionHolds(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: payment,
          ConditionExpression: 'attribute_not_exists(orderId)',
        }),
      ),
    );
  }

  async markRefunded(orderId: string, providerRefundId: string, now: string): Promise<boolean> {
    return whenConditionHolds(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { orderId },
          UpdateExpression: 'SET #status = :refunded, providerRefundId = :refundId, refundedAt = :now, updatedAt = :now',
          ConditionExpression: '#status = :captured',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':refunded': 'REFUNDED', ':captured': 'CAPTURED', ':refundId': providerRefundId, ':now': now },
        }),
      ),
    );
  }
}

async function whenConditionHolds(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    // By name: an instanceof check fails when two copies of the SDK end up in one bundle.
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** The repository the handlers use: one client per container, table from PAYMENTS_TABLE_NAME. */
export function paymentRepositoryFromEnv(): DynamoDbPaymentRepository {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return new DynamoDbPaymentRepository(client, requireEnv('PAYMENTS_TABLE_NAME'));
}
