import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '@order-platform/shared';
import { createDocumentClient, putIfAbsent, whenConditionHolds } from '@order-platform/shared/aws/dynamodb';
import type { Payment } from '../domain/payment';
import type { PaymentRepository } from '../domain/ports';

/** The payments table: one item per orderId, the item is the Payment itself. */
export class DynamoPaymentRepository implements PaymentRepository {
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
    return (await putIfAbsent(this.client, this.tableName, 'orderId', payment)).stored;
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

/** The repository the handlers use: one client per container, table from PAYMENTS_TABLE_NAME. */
export function paymentRepositoryFromEnv(): DynamoPaymentRepository {
  return new DynamoPaymentRepository(createDocumentClient(), requireEnv('PAYMENTS_TABLE_NAME'));
}
