import { SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { asArray } from './properties';

/**
 * AWS::SQS::QueuePolicy → the queue's Policy attribute. fauxqs stores it without enforcing it,
 * so locally it documents intent; packaging does not check it either: only delivery after a deploy shows a missing one.
 */
export async function ensureQueuePolicy(client: SQSClient, props: Record<string, unknown>): Promise<string[]> {
  const queueUrls = asArray(props.Queues as string | string[] | undefined);
  const policy = JSON.stringify(props.PolicyDocument ?? {});
  for (const queueUrl of queueUrls) {
    if (typeof queueUrl !== 'string') throw new Error(`property Queues could not be resolved: ${JSON.stringify(queueUrl)}`);
    await client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: policy } }));
  }
  return queueUrls;
}
