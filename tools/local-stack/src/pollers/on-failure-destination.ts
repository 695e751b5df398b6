import { randomUUID } from 'node:crypto';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { nameFromArn, queueUrl } from '../provision/physical-ids';
import type { RawStreamRecord } from './dynamodb-streams-api';
import type { DiscardCondition } from './stream-batch';

export interface DiscardedBatch {
  functionArn: string;
  streamArn: string;
  shardId: string;
  records: RawStreamRecord[];
  condition: DiscardCondition;
  invokeCount: number;
}

/** The invocation record Lambda sends to a stream's on-failure destination (metadata, not the records). */
export function invocationRecord(batch: DiscardedBatch, now = new Date()): Record<string, unknown> {
  const first = batch.records[0]!;
  const last = batch.records[batch.records.length - 1]!;
  const arrival = (record: RawStreamRecord) =>
    new Date(Number(record.dynamodb.ApproximateCreationDateTime ?? now.getTime() / 1000) * 1000).toISOString();
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: batch.invokeCount,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: now.toISOString(),
    DDBStreamBatchInfo: {
      shardId: batch.shardId,
      startSequenceNumber: first.dynamodb.SequenceNumber,
      endSequenceNumber: last.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first),
      approximateArrivalOfLastRecord: arrival(last),
      batchSize: batch.records.length,
      streamArn: batch.streamArn,
    },
  };
}

export interface DestinationClients {
  sqs: SQSClient;
  sns: SNSClient;
  sqsEndpoint: string;
  accountId: string;
}

/** Sends the invocation record to an SQS queue or SNS topic ARN. */
export async function sendToDestination(destinationArn: string, record: Record<string, unknown>, clients: DestinationClients): Promise<void> {
  const body = JSON.stringify(record);
  if (destinationArn.startsWith('arn:aws:sqs:')) {
    const url = queueUrl({ sqsEndpoint: clients.sqsEndpoint, accountId: clients.accountId, region: '' }, nameFromArn(destinationArn));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
  } else if (destinationArn.startsWith('arn:aws:sns:')) {
    await clients.sns.send(new PublishCommand({ TopicArn: destinationArn, Message: body }));
  } else {
    throw new Error(`unsupported on-failure destination ${destinationArn} (SQS queues and SNS topics only)`);
  }
}
