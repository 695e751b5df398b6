import type { Context, ScheduledEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { createObservability, queueHandler, scheduledHandler } from '../src/lambda';

const context = { functionName: 'consumer', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function record(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:queue',
    awsRegion: 'eu-west-1',
  };
}

const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe('queueHandler', () => {
  const seen: string[] = [];
  const handler = queueHandler(createObservability('test'), async (r) => {
    if (r.body === 'bad') throw new Error(`cannot handle ${r.messageId}`);
    seen.push(r.body);
  });
  beforeEach(() => (seen.length = 0));

  test('every message is handled; a batch that all succeeded reports no failures', async () => {
    await expect(handler(batch(record('m-1', 'a'), record('m-2', 'b')), context)).resolves.toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['a', 'b']);
  });

  test('only the failed messages are returned for retry; the others are handled', async () => {
    const response = await handler(batch(record('m-1', 'bad'), record('m-2', 'b')), context);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(seen).toEqual(['b']);
  });

  test('a batch where every message failed returns its failures instead of throwing', async () => {
    const response = await handler(batch(record('m-1', 'bad'), record('m-2', 'bad')), context);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }] });
  });
});

describe('scheduledHandler', () => {
  const event = { 'detail-type': 'Scheduled Event', time: '2025-01-01T00:00:00Z' } as ScheduledEvent;

  test('answers what the handler answers, with the invocation context', async () => {
    const handler = scheduledHandler(createObservability('test'), async (_event, ctx) => ({ ran: ctx.functionName }));
    await expect(handler(event, context)).resolves.toEqual({ ran: 'consumer' });
  });

  test('a thrown error fails the run', async () => {
    const handler = scheduledHandler(createObservability('test'), async () => {
      throw new Error('2 could not be released');
    });
    await expect(handler(event, context)).rejects.toThrow('2 could not be released');
  });
});
