import { Agent, request } from 'node:http';

/**
 * The three DynamoDB Streams calls the stream poller needs, over DynamoDB Local's JSON protocol.
 * (@aws-sdk/client-dynamodb-streams is not among the project's dependencies; DynamoDB Local
 * checks that a request carries credentials but not its signature.)
 */
export interface StreamShard {
  ShardId: string;
  ParentShardId?: string;
  SequenceNumberRange?: { StartingSequenceNumber?: string; EndingSequenceNumber?: string };
}

export interface StreamDescription {
  StreamArn: string;
  StreamStatus?: string;
  StreamViewType?: string;
  Shards: StreamShard[];
  LastEvaluatedShardId?: string;
}

export interface RawStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime?: number;
    Keys: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  userIdentity?: { type: string; principalId: string };
}

export type ShardIteratorType = 'TRIM_HORIZON' | 'LATEST' | 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER';

export class StreamsApiError extends Error {
  constructor(
    /** The error type without its namespace, e.g. ExpiredIteratorException. */
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(`${code}: ${message}`);
    this.name = code;
  }
}

export class DynamoDbStreamsApi {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });
  private readonly url: URL;

  constructor(
    endpoint: string,
    private readonly region: string,
  ) {
    this.url = new URL(endpoint);
  }

  async describeStream(streamArn: string): Promise<StreamDescription> {
    const shards: StreamShard[] = [];
    let exclusiveStartShardId: string | undefined;
    let description: StreamDescription;
    do {
      const out = await this.call<{ StreamDescription: StreamDescription }>('DescribeStream', {
        StreamArn: streamArn,
        ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}),
      });
      description = out.StreamDescription;
      shards.push(...(description.Shards ?? []));
      exclusiveStartShardId = description.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return { ...description, Shards: shards };
  }

  async getShardIterator(streamArn: string, shardId: string, type: ShardIteratorType, sequenceNumber?: string): Promise<string> {
    const out = await this.call<{ ShardIterator: string }>('GetShardIterator', {
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: type,
      ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}),
    });
    return out.ShardIterator;
  }

  async getRecords(shardIterator: string, limit: number): Promise<{ Records: RawStreamRecord[]; NextShardIterator?: string }> {
    const out = await this.call<{ Records?: RawStreamRecord[]; NextShardIterator?: string }>('GetRecords', {
      ShardIterator: shardIterator,
      Limit: Math.min(1000, limit),
    });
    return { Records: out.Records ?? [], NextShardIterator: out.NextShardIterator };
  }

  close(): void {
    this.agent.destroy();
  }

  private call<T>(operation: string, body: unknown): Promise<T> {
    const payload = JSON.stringify(body);
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path: '/',
          method: 'POST',
          agent: this.agent,
          timeout: 15_000,
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'content-length': Buffer.byteLength(payload),
            'x-amz-target': `DynamoDBStreams_20120810.${operation}`,
            authorization: `AWS4-HMAC-SHA256 Credential=local/${date}/${this.region}/dynamodb/aws4_request, SignedHeaders=host, Signature=local`,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            let parsed: Record<string, unknown> = {};
            try {
              parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              // An HTML error page or a truncated body: reported below by status.
            }
            if ((res.statusCode ?? 500) >= 300) {
              const type = String(parsed.__type ?? 'HttpError').split('#').pop()!;
              reject(new StreamsApiError(type, String(parsed.Message ?? parsed.message ?? text.slice(0, 200)), res.statusCode ?? 500));
            } else {
              resolve(parsed as T);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${operation} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}
