import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { localClientConfig } from '../../tools/local-stack/src/aws-clients';
import { e2eContext, eventually, orderConfirmedEvent, unique, type E2eContext } from './support/context';

/**
 * Lambda's SQS semantics through the stack's poller: a message the consumer cannot handle is
 * reported as a batch item failure, comes back after the visibility timeout, and lands in the
 * DLQ after maxReceiveCount receives, while the rest of its batch is processed once.
 */
let ctx: E2eContext;
let sns: SNSClient;
const QUEUE = 'notification-local-events';
let queueUrl: string;
let dlqUrl: string;
let originalVisibility: string;

beforeAll(async () => {
  ctx = e2eContext();
  sns = new SNSClient(localClientConfig(ctx.endpoints.sns, ctx.endpoints.region));
  queueUrl = `${ctx.endpoints.sqs}/${ctx.endpoints.accountId}/${QUEUE}`;
  dlqUrl = `${queueUrl}-dlq`;
  const attributes = await ctx.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] }));
  originalVisibility = attributes.Attributes!.VisibilityTimeout!;
  // The template's 60 s would make five receives take five minutes; ten seconds keep the same
  // semantics (longer than the batching window plus an invocation, as AWS advises, even on a
  // machine busy with the other end-to-end tests' backlog).
  await ctx.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '10' } }));
});

afterAll(async () => {
  await ctx.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: originalVisibility } }));
  sns.destroy();
  ctx.close();
});

const orderConfirmed = (orderId: string) => orderConfirmedEvent(orderId, { customerId: 'dlq-test', sku: 'DLQ-SKU', unitPrice: 500 });

it('moves a poison message to the DLQ after maxReceiveCount while the rest of its batch is processed', async () => {
  const { Attributes } = await ctx.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }));
  const maxReceiveCount = Number(JSON.parse(Attributes!.RedrivePolicy!).maxReceiveCount);
  const good = [unique('ord_dlq_a'), unique('ord_dlq_b')];
  const poison = `not an event ${unique('poison')}`;
  const eventType = { eventType: { DataType: 'String', StringValue: 'OrderConfirmed' } };

  // One PublishBatch: the three notifications reach the queue together and are received as one batch.
  await sns.send(
    new PublishBatchCommand({
      TopicArn: `arn:aws:sns:${ctx.endpoints.region}:${ctx.endpoints.accountId}:order-local-events`,
      PublishBatchRequestEntries: [
        { Id: 'a', Message: orderConfirmed(good[0]!), MessageAttributes: eventType },
        { Id: 'poison', Message: poison, MessageAttributes: eventType },
        { Id: 'b', Message: orderConfirmed(good[1]!), MessageAttributes: eventType },
      ],
    }),
  );

  // The good ones are handled, once each.
  for (const orderId of good) {
    const notifications = await eventually(() => ctx.platform.listNotifications(orderId), (items) => items.length > 0, 60_000);
    expect(notifications.map((n) => n.eventType)).toEqual(['OrderConfirmed']);
  }

  // The poison message ends in the DLQ, after exactly maxReceiveCount deliveries.
  const dead = await eventually(
    async () => (await ctx.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0 }))).Messages ?? [],
    (messages) => messages.some((message) => message.Body?.includes(poison)),
    240_000,
    1000,
  );
  expect(dead.some((message) => message.Body?.includes(poison))).toBe(true);

  const deliveries = await (await fetch(`${ctx.endpoints.admin}/deliveries?functionName=notification-local-consume`)).json();
  const batches = (deliveries as { items: Array<{ event: { Records: Array<{ body: string }> } }> }).items.map((d) => d.event.Records);
  const withPoison = batches.filter((records) => records.some((record) => record.body.includes(poison)));
  expect(withPoison).toHaveLength(maxReceiveCount);
  // Its first batch also carried the good messages, which were not delivered again after it.
  expect(withPoison[0]!.some((record) => record.body.includes(good[0]!))).toBe(true);
  const goodDeliveries = batches.flat().filter((record) => record.body.includes(good[0]!));
  expect(goodDeliveries).toHaveLength(1);

  expect((await ctx.platform.listNotifications(good[0]!)).length).toBe(1);
}, 360_000);
