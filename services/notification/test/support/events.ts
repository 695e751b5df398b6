import { eventId, type DomainEvent, type FailureReason } from '@order-platform/shared';
import type { SQSRecord } from 'aws-lambda';
import type { NotifiableEvent } from '../../src/domain/notifiable-event';

/** Builders of the events this service receives, valid against the publishers' schemas. */

const customer = { customerId: 'cust-1', email: 'ada@example.com' };

export function orderConfirmed(orderId = 'ord-1'): Extract<NotifiableEvent, { eventType: 'OrderConfirmed' }> {
  return {
    eventId: eventId('OrderConfirmed', orderId),
    eventType: 'OrderConfirmed',
    source: 'order',
    occurredAt: '2025-03-01T10:00:00.000Z',
    data: {
      orderId,
      ...customer,
      lines: [
        { sku: 'SKU-MUG', quantity: 2, unitPrice: 1250, currency: 'EUR' },
        { sku: 'SKU-TEE', quantity: 1, unitPrice: 1999, currency: 'EUR' },
      ],
      total: { amount: 4499, currency: 'EUR' },
    },
  };
}

export function orderFailed(failureReason: FailureReason = 'OUT_OF_STOCK', orderId = 'ord-2'): Extract<NotifiableEvent, { eventType: 'OrderFailed' }> {
  return {
    eventId: eventId('OrderFailed', orderId),
    eventType: 'OrderFailed',
    source: 'order',
    occurredAt: '2025-03-01T10:00:00.000Z',
    data: { orderId, ...customer, failureReason },
  };
}

export function paymentRefunded(orderId = 'ord-3'): Extract<NotifiableEvent, { eventType: 'PaymentRefunded' }> {
  return {
    eventId: eventId('PaymentRefunded', orderId),
    eventType: 'PaymentRefunded',
    source: 'payment',
    occurredAt: '2025-03-01T10:00:00.000Z',
    data: { orderId, ...customer, paymentId: `pay-${orderId}`, amount: { amount: 4499, currency: 'EUR' } },
  };
}

export function orderPlaced(orderId = 'ord-4'): DomainEvent {
  return {
    eventId: eventId('OrderPlaced', orderId),
    eventType: 'OrderPlaced',
    source: 'order',
    occurredAt: '2025-03-01T10:00:00.000Z',
    data: { orderId, ...customer, items: [{ sku: 'SKU-MUG', quantity: 1 }] },
  };
}

/** The SQS body SNS writes when RawMessageDelivery is false: the notification envelope. */
export function snsEnvelope(message: unknown, topic: 'order' | 'payment' = 'order'): string {
  const eventType = (message as { eventType?: string } | null)?.eventType ?? 'Unknown';
  return JSON.stringify({
    Type: 'Notification',
    MessageId: '5a1c8b8e-8f4b-5d2a-9d55-2f9f0a0c1d11',
    TopicArn: `arn:aws:sns:eu-west-1:123456789012:${topic}-local-events`,
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2025-03-01T10:00:01.000Z',
    SignatureVersion: '1',
    Signature: 'c2lnbmF0dXJl',
    SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000.pem',
    UnsubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:eu-west-1:123456789012:x:1',
    MessageAttributes: { eventType: { Type: 'String', Value: eventType } },
  });
}

export function sqsRecord(body: string, messageId: string, receiveCount = 1): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1740823201000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1740823201005',
    },
    messageAttributes: {},
    md5OfBody: 'md5',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:notification-local-events',
    awsRegion: 'eu-west-1',
  };
}
