import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SNSClient, CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityCommand, CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localClientConfig } from '../../src/aws-clients';
import { startFauxqs, type RunningFauxqs } from '../../src/components/fauxqs';
import { ACCOUNT, REGION } from '../support';

/**
 * `npm start` keeps SNS/SQS state in .local/fauxqs: a message still queued when the stack stops
 * is delivered after it starts again, and topics keep their subscriptions.
 */
describe('fauxqs with a data directory (the stack after a restart)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fauxqs-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function withServer<T>(run: (sqs: SQSClient, sns: SNSClient, server: RunningFauxqs) => Promise<T>): Promise<T> {
    const server = await startFauxqs({ port: 0, host: '127.0.0.1', region: REGION, accountId: ACCOUNT, dataDir });
    const sqs = new SQSClient(localClientConfig(server.endpoint, REGION));
    const sns = new SNSClient(localClientConfig(server.endpoint, REGION));
    try {
      return await run(sqs, sns, server);
    } finally {
      sqs.destroy();
      sns.destroy();
      await server.stop();
    }
  }

  it('keeps queued messages, queues, topics and subscriptions across a restart', async () => {
    const topicArn = await withServer(async (sqs, sns) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'kept', Attributes: { VisibilityTimeout: '30' } }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'sent before the restart' }));
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events' }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:kept`, Attributes: { RawMessageDelivery: 'true' } }));
      return TopicArn!;
    });
    expect(topicArn).toBe(`arn:aws:sns:${REGION}:${ACCOUNT}:events`);

    await withServer(async (sqs, sns) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'kept', Attributes: { VisibilityTimeout: '30' } }));
      // The subscription came back too: a publish after the restart reaches the queue.
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'published after the restart' }));
      const bodies: string[] = [];
      for (let i = 0; i < 5 && bodies.length < 2; i++) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        bodies.push(...(Messages ?? []).map((m) => m.Body!));
      }
      expect(bodies.sort()).toEqual(['published after the restart', 'sent before the restart']);
    });
  });

  it('keeps the receive count of a message made visible again (ChangeMessageVisibility 0; patches/fauxqs+2.4.1.patch)', async () => {
    await withServer(async (sqs) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'counted' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'received twice' }));
      for (let receive = 0; receive < 2; receive++) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, VisibilityTimeout: 30 }));
        await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle!, VisibilityTimeout: 0 }));
      }
    });
    await withServer(async (sqs) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'counted' }));
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
      expect(Messages?.[0]?.Body).toBe('received twice');
      expect(Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('3');
    });
  });
});
