import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SnsSqsNotificationSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { DomainEvent } from '@order-platform/shared';
// zod classic, for types only: Powertools' parser schemas and helpers are zod classic, and their
// signatures take classic types. Everything this project defines is zod/mini (same core, same issues).
import type { ZodType as ClassicZodType } from 'zod';
import type * as z from 'zod/mini';
import { NOTIFIABLE_EVENT_TYPES, type NotifiableEventType } from './notification';

export type NotifiableEvent = Extract<DomainEvent, { eventType: NotifiableEventType }>;

/**
 * Our zod/mini schema, typed as the classic schema that Powertools' `JSONStringified` asks for. It
 * only hands the schema to classic `.pipe()`, which takes any zod 4 schema: a cast of the type, not
 * a conversion (parsing, issues and messages are zod core's either way).
 */
function classicTyped<S extends z.ZodMiniType>(schema: S): ClassicZodType<z.output<S>, z.input<S>> {
  return schema as unknown as ClassicZodType<z.output<S>, z.input<S>>;
}

/**
 * An SQS message body as SNS delivers it (RawMessageDelivery false): the SNS envelope, whose
 * Message is the publisher's event, parsed with the publisher's own schema.
 */
const QueuedEvent = JSONStringified(SnsSqsNotificationSchema.extend({ Message: JSONStringified(classicTyped(DomainEvent)) }));

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

function describeIssues(error: z.core.$ZodError): { path: string; message: string }[] {
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
