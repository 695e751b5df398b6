import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { requireEnv } from '../config';
import type { DomainEvent } from '../contracts/events';

/**
 * Publishes a domain event to an SNS topic. `eventType` travels as a message attribute so that
 * each subscriber's filter policy picks the events it wants without reading the body.
 */
export class SnsEventPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(event: DomainEvent): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(event),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: event.eventType },
          source: { DataType: 'String', StringValue: event.source },
        },
      }),
    );
  }
}

/** The publisher a stream handler uses: one SNS client per container, the topic from `topicArnVariable`. */
export function snsEventPublisherFromEnv(topicArnVariable: string): SnsEventPublisher {
  return new SnsEventPublisher(new SNSClient({}), requireEnv(topicArnVariable));
}
