import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas';
import type { SqsEventSource } from '../../src/provision/event-sources';
import { queueArn, queueUrl } from '../../src/provision/physical-ids';
import { SqsPoller } from '../../src/pollers/sqs-poller';
import { ACCOUNT, fauxqs, logger, REGION, scriptedFunction, until, type ScriptedFunction } from '../support';

/**
 * The SQS poller against real fauxqs (in this process): what it deletes, what it leaves for SQS
 * to redeliver, and that SQS's redrive policy then moves repeat failures to the DLQ.
 */
let emulator: Awaited<ReturnType<typeof fauxqs>>;
let poller: SqsPoller | undefined;
let queueCounter = 0;

beforeAll(async () => {
  emulator = await fauxqs();
});
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});
afterAll(async () => {
  await emulator.close();
});

/** A queue (visibility 1 s) with a DLQ after `maxReceiveCount` receives, holding `bodies`. */
async function queueWith(bodies: string[], maxReceiveCount = 3): Promise<{ source: Omit<SqsEventSource, 'target'>; dlqUrl: string }> {
  const name = `poller-test-${(queueCounter += 1)}`;
  const ctx = { region: REGION, accountId: ACCOUNT, sqsEndpoint: emulator.server.endpoint };
  await emulator.sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  await emulator.sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(ctx, `${name}-dlq`), maxReceiveCount }) },
    }),
  );
  await emulator.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl(ctx, name),
      Entries: bodies.map((body, index) => ({ Id: `m${index}`, MessageBody: body, MessageAttributes: { kind: { DataType: 'String', StringValue: body } } })),
    }),
  );
  return {
    source: { kind: 'sqs', id: `test/${name}`, queueArn: queueArn(ctx, name), queueUrl: queueUrl(ctx, name), batchSize: 10, maximumBatchingWindowSeconds: 0, reportBatchItemFailures: true },
    dlqUrl: queueUrl(ctx, `${name}-dlq`),
  };
}

function startPoller(source: Omit<SqsEventSource, 'target'>, fn: ScriptedFunction): void {
  poller = new SqsPoller({
    source: { ...source, target: { functionName: 'test-local-consume', timeoutSeconds: 5 } },
    sqs: emulator.sqs,
    invoke: fn.invoke,
    region: REGION,
    accountId: ACCOUNT,
    logger,
    waitTimeSeconds: 1,
    concurrency: 1,
  });
  poller.start();
}

const bodiesOf = (event: unknown) => (event as SQSEvent).Records.map((record) => record.body);
const deliveriesOf = (fn: ScriptedFunction, body: string) => fn.events.filter((event) => bodiesOf(event).includes(body)).length;

async function messagesIn(url: string): Promise<number> {
  const { Attributes } = await emulator.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible);
}

it('delivers Lambda SQS events that pass the AWS schema', async () => {
  const { source } = await queueWith(['hello']);
  const fn = scriptedFunction(() => ({ payload: null }));
  startPoller(source, fn);
  await until(async () => fn.events.length > 0 && (await messagesIn(source.queueUrl)) === 0);

  const event = SqsSchema.parse(fn.events[0]);
  expect(event.Records[0]).toMatchObject({ body: 'hello', eventSource: 'aws:sqs', eventSourceARN: source.queueArn, awsRegion: REGION });
  expect(event.Records[0]!.attributes.ApproximateReceiveCount).toBe('1');
  expect(event.Records[0]!.messageAttributes.kind).toEqual({ stringValue: 'hello', stringListValues: [], binaryListValues: [], dataType: 'String' });
});

it('deletes only the successes of a partially failed batch; the failure is redelivered, then moved to the DLQ after maxReceiveCount', async () => {
  const { source, dlqUrl } = await queueWith(['ok-1', 'poison', 'ok-2'], 3);
  const fn = scriptedFunction((event) => {
    const failed = (event as SQSEvent).Records.filter((record) => record.body === 'poison');
    return { payload: { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) } };
  });
  startPoller(source, fn);

  await until(async () => (await messagesIn(dlqUrl)) === 1 && (await messagesIn(source.queueUrl)) === 0);
  expect(deliveriesOf(fn, 'poison')).toBe(3);
  expect(deliveriesOf(fn, 'ok-1')).toBe(1);
  expect(deliveriesOf(fn, 'ok-2')).toBe(1);
  // The first batch carried all three: the good ones were settled with it, not held back.
  expect(bodiesOf(fn.events[0]).sort()).toEqual(['ok-1', 'ok-2', 'poison']);
  const dead = await emulator.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }));
  expect(dead.Messages?.map((message) => message.Body)).toEqual(['poison']);
});

it('deletes nothing when the function fails (FunctionError): the whole batch comes back', async () => {
  const { source } = await queueWith(['a', 'b'], 5);
  const fn = scriptedFunction((_event, call) => (call === 1 ? { functionError: 'Unhandled', payload: { errorType: 'Error', errorMessage: 'boom' } } : { payload: null }));
  startPoller(source, fn);

  await until(async () => deliveriesOf(fn, 'a') === 2 && deliveriesOf(fn, 'b') === 2 && (await messagesIn(source.queueUrl)) === 0);
  const second = SqsSchema.parse(fn.events.at(-1));
  expect(second.Records.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['2', '2']);
});

it('treats an unknown item identifier as a failure of the whole batch', async () => {
  const { source } = await queueWith(['x', 'y'], 5);
  const fn = scriptedFunction((_event, call) => ({ payload: call === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] } : {} }));
  startPoller(source, fn);

  await until(async () => deliveriesOf(fn, 'x') === 2 && deliveriesOf(fn, 'y') === 2 && (await messagesIn(source.queueUrl)) === 0);
});

it('keeps messages when the function cannot be reached, and delivers them once it can', async () => {
  const { source } = await queueWith(['later'], 10);
  let reachable = false;
  const events: unknown[] = [];
  poller = new SqsPoller({
    source: { ...source, target: { functionName: 'test-local-consume', timeoutSeconds: 5 } },
    sqs: emulator.sqs,
    invoke: async (_name, event) => {
      if (!reachable) throw new Error('connect ECONNREFUSED');
      events.push(event);
      return { payload: null };
    },
    region: REGION,
    accountId: ACCOUNT,
    logger,
    waitTimeSeconds: 1,
    concurrency: 1,
  });
  poller.start();
  await until(async () => (await messagesIn(source.queueUrl)) === 1);
  reachable = true;
  await until(async () => events.length === 1 && (await messagesIn(source.queueUrl)) === 0);
  expect(bodiesOf(events[0])).toEqual(['later']);
});
