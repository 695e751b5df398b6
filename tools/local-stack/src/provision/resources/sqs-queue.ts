import {
  CreateQueueCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { attributeString, requireString } from './properties';

/** AWS::SQS::Queue properties that are also queue attributes (same names in CloudFormation and the API). */
const QUEUE_ATTRIBUTES = [
  'VisibilityTimeout',
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'FifoQueue',
  'ContentBasedDeduplication',
] as const;

export function queueAttributes(props: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const name of QUEUE_ATTRIBUTES) {
    const value = attributeString(props[name]);
    if (value !== undefined) attributes[name] = value;
  }
  return attributes;
}

export interface QueueOutcome {
  queueName: string;
  queueUrl: string;
  action: 'created' | 'updated';
}

/** Creates the queue, or sets the template's attributes on an existing one (CreateQueue would refuse a change). */
export async function ensureQueue(client: SQSClient, props: Record<string, unknown>): Promise<QueueOutcome> {
  const queueName = requireString(props, 'QueueName');
  const attributes = queueAttributes(props);
  try {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: queueName }));
    // FifoQueue cannot change after creation; everything else can.
    const { FifoQueue: _fifo, ...settable } = attributes;
    if (Object.keys(settable).length > 0) await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: settable }));
    return { queueName, queueUrl: QueueUrl!, action: 'updated' };
  } catch (error) {
    if (!(error instanceof QueueDoesNotExist) && (error as Error).name !== 'QueueDoesNotExist') throw error;
  }
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: queueName, Attributes: attributes }));
  return { queueName, queueUrl: QueueUrl!, action: 'created' };
}

/** Queues whose RedrivePolicy points at another queue of the list come after it. */
export function orderQueuesForRedrive<T extends { props: Record<string, unknown> }>(queues: T[]): T[] {
  const isSource = (queue: T) => queue.props.RedrivePolicy !== undefined;
  return [...queues.filter((queue) => !isSource(queue)), ...queues.filter(isSource)];
}
