import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '@order-platform/shared';
import { createDocumentClient, expiresAtFor, putIfAbsent, TTL_ATTRIBUTE, whenConditionHolds } from '@order-platform/shared/aws/dynamodb';
import type { Payment, PaymentStatus } from '../domain/payment';
import type { PaymentRepository } from '../domain/ports';

/**
 * Payments that moved no money (DECLINED, and the VOIDED tombstone a compensation leaves) expire
 * FINISHED_RECORD_RETENTION_DAYS after they are written (TTL expiresAt): past every retry and
 * redrive that could repeat the charge. CAPTURED and REFUNDED payments are accounting records and
 * never expire here: how long to keep them is a legal decision (docs/guarantees.md).
 */
const EXPIRES: ReadonlySet<PaymentStatus> = new Set(['DECLINED', 'VOIDED']);

/** The payments table: one item per orderId, the item is the Payment itself (plus its TTL when it expires). */
export class DynamoPaymentRepository implements PaymentRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orderId: string): Promise<Payment | undefined> {
    // Strongly consistent: a retry must see the decision its previous attempt stored.
    return this.read(orderId, true);
  }

  async peek(orderId: string): Promise<Payment | undefined> {
    return this.read(orderId, false);
  }

  private async read(orderId: string, consistentRead: boolean): Promise<Payment | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { orderId }, ConsistentRead: consistentRead }));
    if (!Item) return undefined;
    const { [TTL_ATTRIBUTE]: _expiresAt, ...payment } = Item;
    return payment as Payment;
  }

  async create(payment: Payment): Promise<boolean> {
    const item = EXPIRES.has(payment.status) ? { ...payment, [TTL_ATTRIBUTE]: expiresAtFor(payment.updatedAt) } : payment;
    return (await putIfAbsent(this.client, this.tableName, 'orderId', item)).stored;
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
