import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SnsSqsNotificationSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { DomainEvent } from '@order-platform/shared';
import type { z } from 'zod';

/** The events this service turns into customer notifications (the subscriptions' filter policies). */
export const NOTIFIABLE_EVENT_TYPES = ['OrderConfirmed', 'OrderFailed', 'PaymentRefunded'] as const;
export type NotifiableEventType = (typeof NOTIFIABLE_EVENT_TYPES)[number];
export type NotifiableEvent = Extract<DomainEvent, { eventType: NotifiableEventType }>;

/**
 * An SQS message body as SNS delivers it (RawMessageDelivery false): the SNS envelope, whose
 * Message is the publisher's event, parsed with the publisher's own schema.
 */
const QueuedEvent = JSONStringified(SnsSqsNotificationSchema.extend({ Message: JSONStringified(DomainEvent) }));

/** The message can never be processed as it is (bad JSON, not an SNS envelope, not a valid event). */
export class InvalidMessage extends Error {
  override readonly name = 'InvalidMessage';
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`Invalid queued event: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
  }
}

/** A valid event that this service does not notify about: the subscription filters are wrong. */
export class UnsupportedEvent extends Error {
  override readonly name = 'UnsupportedEvent';
  constructor(readonly eventType: string) {
    super(`Event type ${eventType} is not one this service notifies about (${NOTIFIABLE_EVENT_TYPES.join(', ')})`);
  }
}

export function isNotifiable(event: DomainEvent): event is NotifiableEvent {
  return (NOTIFIABLE_EVENT_TYPES as readonly string[]).includes(event.eventType);
}

function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/**
 * Parses an SQS record body into the event it carries. Throws InvalidMessage or UnsupportedEvent:
 * either fails that record alone, so it is retried and then parked in the DLQ for a human.
 */
export function parseQueuedEvent(body: string): NotifiableEvent {
  const parsed = QueuedEvent.safeParse(body);
  if (!parsed.success) throw new InvalidMessage(describeIssues(parsed.error));
  const event = parsed.data.Message;
  if (!isNotifiable(event)) throw new UnsupportedEvent(event.eventType);
  return event;
}
