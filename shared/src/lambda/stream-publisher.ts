import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, Context } from 'aws-lambda';
import type { DomainEvent } from '../contracts/events';
import type { Image } from '../images';
import type { Observability } from '../observability';
import { withFaultInjection } from './fault-injection';

export interface StreamPublisherOptions {
  /** Pure mapping from a row's change to the events it means (no event for most changes). */
  toEvents: (oldImage: Image, newImage: Image) => DomainEvent[];
  publish: (event: DomainEvent) => Promise<void>;
}

function image(raw: Record<string, unknown> | undefined): Image {
  return raw ? unmarshall(raw as Record<string, AttributeValue>) : undefined;
}

/**
 * The outbox half of "no dual write": a table's stream becomes domain events on SNS. Records
 * fail individually (ReportBatchItemFailures), so one bad record never blocks its shard forever
 * and the ones before it are not republished.
 */
export function streamPublisher(observability: Observability, options: StreamPublisherOptions) {
  const { logger } = observability;
  const processor = new BatchProcessor(EventType.DynamoDBStreams);

  const recordHandler = async (record: DynamoDBRecord): Promise<void> => {
    const events = options.toEvents(
      image(record.dynamodb?.OldImage as Record<string, unknown> | undefined),
      image(record.dynamodb?.NewImage as Record<string, unknown> | undefined),
    );
    for (const event of events) {
      logger.info('Publishing event', { eventType: event.eventType, eventId: event.eventId, orderId: event.data.orderId });
      await options.publish(event);
    }
  };

  // Local stage only: injected failures (shared/src/lambda/fault-injection.ts); the handler itself elsewhere.
  return withFaultInjection(async (event: DynamoDBStreamEvent, context: Context) => {
    logger.addContext(context);
    return processPartialResponse(event, recordHandler, processor, { context });
  });
}
