import {
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { attributeString, requireString } from './properties';

const SUBSCRIPTION_ATTRIBUTES = ['FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'DeliveryPolicy'] as const;

export function subscriptionAttributes(props: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const key of SUBSCRIPTION_ATTRIBUTES) {
    const value = attributeString(props[key]);
    if (value !== undefined) attributes[key] = value;
  }
  // CloudFormation defaults the scope when a filter is given; fauxqs needs to be told.
  if (attributes.FilterPolicy && !attributes.FilterPolicyScope) attributes.FilterPolicyScope = 'MessageAttributes';
  return attributes;
}

export interface SubscriptionOutcome {
  subscriptionArn: string;
  action: 'created' | 'updated';
}

/** One subscription per topic, protocol and endpoint; an existing one gets the template's attributes. */
export async function ensureSubscription(client: SNSClient, props: Record<string, unknown>): Promise<SubscriptionOutcome> {
  const topicArn = requireString(props, 'TopicArn');
  const protocol = requireString(props, 'Protocol');
  const endpoint = requireString(props, 'Endpoint');
  const attributes = subscriptionAttributes(props);
  const existing = await findSubscription(client, topicArn, protocol, endpoint);
  if (existing) {
    for (const [name, value] of Object.entries(attributes)) {
      await client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: existing, AttributeName: name, AttributeValue: value }));
    }
    return { subscriptionArn: existing, action: 'updated' };
  }
  const { SubscriptionArn } = await client.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: protocol, Endpoint: endpoint, Attributes: attributes, ReturnSubscriptionArn: true }),
  );
  return { subscriptionArn: SubscriptionArn!, action: 'created' };
}

async function findSubscription(client: SNSClient, topicArn: string, protocol: string, endpoint: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken }));
    const match = page.Subscriptions?.find((s) => s.Protocol === protocol && s.Endpoint === endpoint);
    if (match?.SubscriptionArn) return match.SubscriptionArn;
    nextToken = page.NextToken;
  } while (nextToken);
  return undefined;
}
