import { CreateTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { attributeString, requireString } from './properties';

const TOPIC_ATTRIBUTES = ['DisplayName', 'FifoTopic', 'ContentBasedDeduplication', 'KmsMasterKeyId'] as const;

/** CreateTopic is idempotent for the same name and attributes. */
export async function ensureTopic(client: SNSClient, props: Record<string, unknown>): Promise<string> {
  const name = requireString(props, 'TopicName');
  const attributes: Record<string, string> = {};
  for (const key of TOPIC_ATTRIBUTES) {
    const value = attributeString(props[key]);
    if (value !== undefined) attributes[key] = value;
  }
  const { TopicArn } = await client.send(new CreateTopicCommand({ Name: name, Attributes: attributes }));
  return TopicArn!;
}
