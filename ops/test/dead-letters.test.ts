import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { deadLetterQueues, findDeadLetterQueue, listStageQueues, peekMessages, redrive, sendableAttributes, type QueueInfo } from '../src/dead-letters';
import { runDlq } from '../src/dlq';

const sqs = mockClient(SQSClient);
const client = new SQSClient({ region: 'eu-west-1' });
const base = 'http://127.0.0.1:3301/123456789012';
const arn = (name: string) => `arn:aws:sqs:eu-west-1:123456789012:${name}`;

/** The local stage's queues: the notification queue and its DLQ, the publishers' on-failure DLQs, and another stage's. */
const QUEUES: Record<string, Record<string, string>> = {
  'notification-local-events': {
    QueueArn: arn('notification-local-events'),
    ApproximateNumberOfMessages: '0',
    ApproximateNumberOfMessagesNotVisible: '1',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('notification-local-events-dlq'), maxReceiveCount: 5 }),
  },
  'notification-local-events-dlq': { QueueArn: arn('notification-local-events-dlq'), ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '0' },
  'order-local-publish-dlq': { QueueArn: arn('order-local-publish-dlq'), ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '0' },
  'order-dev-publish-dlq': { QueueArn: arn('order-dev-publish-dlq'), ApproximateNumberOfMessages: '9', ApproximateNumberOfMessagesNotVisible: '0' },
};

function stubQueues() {
  sqs.on(ListQueuesCommand).resolves({ QueueUrls: Object.keys(QUEUES).map((name) => `${base}/${name}`) });
  for (const [name, attributes] of Object.entries(QUEUES)) sqs.on(GetQueueAttributesCommand, { QueueUrl: `${base}/${name}` }).resolves({ Attributes: attributes });
}

const message = (id: string, extra: Partial<Message> = {}): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: `{"eventId":"${id}"}`,
  Attributes: { ApproximateReceiveCount: '5', SentTimestamp: '1893456000000' },
  ...extra,
});

beforeEach(() => {
  sqs.reset();
  stubQueues();
});

describe('finding the dead-letter queues', () => {
  test("lists the stage's queues only, with counts and redrive policies", async () => {
    const queues = await listStageQueues(client, 'local');
    expect(queues.map((q) => q.name)).toEqual(['notification-local-events', 'notification-local-events-dlq', 'order-local-publish-dlq']);
    expect(queues[0]).toMatchObject({ visible: 0, inFlight: 1, redrivePolicy: { deadLetterTargetArn: arn('notification-local-events-dlq'), maxReceiveCount: 5 } });
  });

  test('a DLQ is a redrive target (with its sources) or a *-dlq no queue names (a stream on-failure destination)', async () => {
    const dlqs = deadLetterQueues(await listStageQueues(client, 'local'));
    expect(dlqs.map((q) => [q.name, q.sources.map((s) => s.name)])).toEqual([
      ['notification-local-events-dlq', ['notification-local-events']],
      ['order-local-publish-dlq', []],
    ]);
    expect(findDeadLetterQueue(dlqs, `${base}/notification-local-events-dlq`).name).toBe('notification-local-events-dlq');
    expect(findDeadLetterQueue(dlqs, arn('order-local-publish-dlq')).name).toBe('order-local-publish-dlq');
    expect(() => findDeadLetterQueue(dlqs, 'notification-local-events')).toThrow(/not a dead-letter queue.*known: notification-local-events-dlq, order-local-publish-dlq/);
  });
});

describe('peekMessages', () => {
  test('receives distinct messages up to the maximum, then makes them visible again', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message('m1'), message('m2')] })
      .resolvesOnce({ Messages: [message('m3')] })
      .resolves({ Messages: [] });
    const messages = await peekMessages(client, { url: `${base}/q-dlq` }, 10);
    expect(messages.map((m) => m.MessageId)).toEqual(['m1', 'm2', 'm3']);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, {
      QueueUrl: `${base}/q-dlq`,
      Entries: [
        { Id: '0', ReceiptHandle: 'rh-m1', VisibilityTimeout: 0 },
        { Id: '1', ReceiptHandle: 'rh-m2', VisibilityTimeout: 0 },
        { Id: '2', ReceiptHandle: 'rh-m3', VisibilityTimeout: 0 },
      ],
    });
  });
});

describe('redrive', () => {
  async function notificationDlq() {
    return findDeadLetterQueue(deadLetterQueues(await listStageQueues(client, 'local')), 'notification-local-events-dlq');
  }

  test('uses StartMessageMoveTask from the DLQ to its source where SQS has it', async () => {
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    const result = await redrive(client, await notificationDlq());
    expect(result).toEqual({ method: 'StartMessageMoveTask', dlq: 'notification-local-events-dlq', destination: 'notification-local-events', taskHandle: 'task-1' });
    expect(sqs).toHaveReceivedCommandWith(StartMessageMoveTaskCommand, {
      SourceArn: arn('notification-local-events-dlq'),
      DestinationArn: arn('notification-local-events'),
    });
    expect(sqs).not.toHaveReceivedCommand(ReceiveMessageCommand);
  });

  test('with --wait, follows the move task until it has finished', async () => {
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({ Results: [{ TaskHandle: 'task-1', Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 3 }] })
      .resolves({ Results: [{ TaskHandle: 'task-1', Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3 }] });
    const lines: string[] = [];
    const result = await redrive(client, await notificationDlq(), { wait: true, pollMs: 1, log: (line) => lines.push(line) });
    expect(result).toMatchObject({ method: 'StartMessageMoveTask', status: 'COMPLETED', moved: 3 });
    expect(lines).toEqual(['move task running: 1 of 3 moved']);
  });

  test('falls back to receive + send + delete where SQS answers InvalidAction (fauxqs), keeping bodies and attributes', async () => {
    sqs.on(StartMessageMoveTaskCommand).rejects(Object.assign(new Error('Unknown action: StartMessageMoveTask'), { name: 'InvalidAction' }));
    const attributed = message('m2', {
      MessageAttributes: { eventType: { DataType: 'String', StringValue: 'OrderConfirmed', StringListValues: [], BinaryListValues: [] } },
    });
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message('m1'), attributed] })
      .resolvesOnce({ Messages: [message('m3')] })
      .resolves({ Messages: [] });
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })) }));
    sqs.on(DeleteMessageBatchCommand).resolves({});
    const lines: string[] = [];
    const result = await redrive(client, await notificationDlq(), { log: (line) => lines.push(line) });

    expect(result).toEqual({ method: 'receive-send-delete', dlq: 'notification-local-events-dlq', destination: 'notification-local-events', moved: 3, failed: 0, reason: 'InvalidAction' });
    expect(lines[0]).toMatch(/StartMessageMoveTask is not available here \(InvalidAction/);
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: `${base}/notification-local-events`,
      Entries: [
        { Id: '0', MessageBody: '{"eventId":"m1"}' },
        { Id: '1', MessageBody: '{"eventId":"m2"}', MessageAttributes: { eventType: { DataType: 'String', StringValue: 'OrderConfirmed' } } },
      ],
    });
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageBatchCommand, {
      QueueUrl: `${base}/notification-local-events-dlq`,
      Entries: [
        { Id: '0', ReceiptHandle: 'rh-m1' },
        { Id: '1', ReceiptHandle: 'rh-m2' },
      ],
    });
    expect(sqs).toHaveReceivedCommandTimes(DeleteMessageBatchCommand, 2);
  });

  test('a message that cannot be sent is not deleted: it stays in the DLQ, visible again, and is reported', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message('ok'), message('bad')] })
      .resolves({ Messages: [] });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'x', MD5OfMessageBody: '' }], Failed: [{ Id: '1', Code: 'InvalidMessageContents', SenderFault: true }] });
    sqs.on(DeleteMessageBatchCommand).resolves({});
    const result = await redrive(client, await notificationDlq(), { forceManual: true });
    expect(result).toMatchObject({ method: 'receive-send-delete', moved: 1, failed: 1, reason: 'requested' });
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageBatchCommand, { Entries: [{ Id: '0', ReceiptHandle: 'rh-ok' }] });
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, { Entries: [{ Id: '0', ReceiptHandle: 'rh-bad', VisibilityTimeout: 0 }] });
    expect(sqs).not.toHaveReceivedCommand(StartMessageMoveTaskCommand);
  });

  test('other StartMessageMoveTask errors (permissions) are not hidden by the fallback', async () => {
    sqs.on(StartMessageMoveTaskCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDenied' }));
    await expect(redrive(client, await notificationDlq())).rejects.toThrow('not allowed');
    expect(sqs).not.toHaveReceivedCommand(ReceiveMessageCommand);
  });

  test("refuses a stream's on-failure destination, which has no source queue", async () => {
    const dlq = findDeadLetterQueue(deadLetterQueues(await listStageQueues(client, 'local')), 'order-local-publish-dlq');
    await expect(redrive(client, dlq)).rejects.toThrow(/stream's on-failure destination.*replay those records from the stream/);
  });

  test('a DLQ shared by several queues needs a destination', async () => {
    const source = (name: string): QueueInfo => ({ name, url: name, arn: arn(name), visible: 0, inFlight: 0, fifo: false });
    const dlq = { ...source('shared-dlq'), sources: [source('a'), source('b')] };
    await expect(redrive(client, dlq)).rejects.toThrow(/receives from a and b: pass --to/);
  });

  test('sendableAttributes keeps what SendMessage accepts', () => {
    expect(sendableAttributes(undefined)).toBeUndefined();
    expect(sendableAttributes({})).toBeUndefined();
    const binary = new Uint8Array([1, 2]);
    expect(sendableAttributes({ a: { DataType: 'Binary', BinaryValue: binary, StringListValues: [] }, n: { DataType: 'Number', StringValue: '3' } })).toEqual({
      a: { DataType: 'Binary', BinaryValue: binary },
      n: { DataType: 'Number', StringValue: '3' },
    });
  });
});

describe('npm run dlq', () => {
  const env = { LOCAL_ENDPOINTS_FILE: '/nonexistent/endpoints.json' };
  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDlq([...argv, '--stage', 'dev'], { stdout: (l) => out.push(l), stderr: (l) => err.push(l), env, sqs: () => client });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  beforeEach(() => {
    // The same queues, under the dev stage.
    sqs.reset();
    const local = Object.entries(QUEUES).filter(([name]) => name.includes('-local-'));
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: local.map(([name]) => `${base}/${name.replace('-local-', '-dev-')}`) });
    for (const [name, attributes] of local) {
      const dev = name.replace('-local-', '-dev-');
      sqs.on(GetQueueAttributesCommand, { QueueUrl: `${base}/${dev}` }).resolves({
        Attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, v.replaceAll('-local-', '-dev-')])),
      });
    }
  });

  test('list shows every DLQ with its count and source', async () => {
    const { code, out } = await run('list');
    expect(code).toBe(0);
    expect(out).toMatch(/stage dev · AWS/);
    expect(out).toMatch(/notification-dev-events-dlq\s+3\s+notification-dev-events \(after 5 receives\)/);
    expect(out).toMatch(/order-dev-publish-dlq\s+1\s+stream on-failure destination \(no redrive\)/);
  });

  test('list --json', async () => {
    const { out } = await run('list', '--json');
    expect(JSON.parse(out).deadLetterQueues.map((q: { name: string; messages: number }) => [q.name, q.messages])).toEqual([
      ['notification-dev-events-dlq', 3],
      ['order-dev-publish-dlq', 1],
    ]);
  });

  test('redrive <queue> moves it back and says how', async () => {
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'h-1' });
    const { code, out } = await run('redrive', 'notification-dev-events-dlq');
    expect(code).toBe(0);
    expect(out).toMatch(/notification-dev-events-dlq -> notification-dev-events: move task h-1 started/);
  });

  test('usage errors exit 2; an unknown queue exits 1 naming the known ones', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('purge')).code).toBe(2);
    expect((await run('show', '--max', '0')).code).toBe(2);
    const unknown = await run('show', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/"nope" is not a dead-letter queue.*notification-dev-events-dlq/);
  });

  test('the local stage without a running stack says to start it', async () => {
    const code = await runDlq(['list'], { stdout: () => undefined, stderr: (l) => expect(l).toMatch(/No local stack is running.*npm start/), env });
    expect(code).toBe(1);
  });
});
