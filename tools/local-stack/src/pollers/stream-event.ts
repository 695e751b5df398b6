import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { RawStreamRecord } from './dynamodb-streams-api';

/** Epoch seconds, as Lambda delivers them (some emulators report milliseconds or a date). */
export function epochSeconds(value: unknown, fallbackMs: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value > 1e11 ? value / 1000 : value);
  if (typeof value === 'string' && value !== '') {
    const parsed = Number.isFinite(Number(value)) ? Number(value) : Date.parse(value) / 1000;
    if (Number.isFinite(parsed)) return Math.floor(parsed > 1e11 ? parsed / 1000 : parsed);
  }
  return Math.floor(fallbackMs / 1000);
}

/**
 * A DynamoDB Streams record as Lambda's event record: the stack's region, the stream's ARN
 * (which DynamoDB Streams records do not carry) and ApproximateCreationDateTime in epoch seconds.
 */
export function toStreamRecord(raw: RawStreamRecord, streamArn: string, region: string, now = Date.now()): DynamoDBRecord {
  const record: DynamoDBRecord = {
    eventID: raw.eventID,
    eventName: raw.eventName,
    eventVersion: raw.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ...(raw.dynamodb as DynamoDBRecord['dynamodb']),
      ApproximateCreationDateTime: epochSeconds(raw.dynamodb.ApproximateCreationDateTime, now),
    },
    eventSourceARN: streamArn,
  };
  if (raw.userIdentity) record.userIdentity = raw.userIdentity;
  return record;
}

export function toStreamEvent(records: RawStreamRecord[], streamArn: string, region: string): DynamoDBStreamEvent {
  return { Records: records.map((record) => toStreamRecord(record, streamArn, region)) };
}
