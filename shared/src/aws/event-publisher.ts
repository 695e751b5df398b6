import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
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
