import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { localClientConfig } from '../aws-clients';
import type { Logger } from '../log';
import type { EventSource, ScheduleSource } from '../provision/event-sources';
import { CheckpointStore } from './checkpoints';
import { DeliveryLog } from './delivery-log';
import { DynamoDbStreamsApi } from './dynamodb-streams-api';
import { FaultSource } from '@order-platform/shared/lambda/fault-injection';
import { withDuplicateDelivery } from './duplicate-delivery';
import { sleep } from '../process/wait';
import { createFunctionInvoker } from './function-invoker';
import { Scheduler } from './scheduler';
import { SqsPoller } from './sqs-poller';
import { DynamoDbStreamPoller } from './stream-poller';

export interface EventRunnerOptions {
  eventSources: EventSource[];
  schedules: ScheduleSource[];
  /** Function-name prefix → serverless-offline Lambda endpoint. */
  lambdaEndpoints: Record<string, string>;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  snsEndpoint: string;
  region: string;
  accountId: string;
  checkpointFile: string | undefined;
  /** The faults file whose `duplicate` probabilities make pollers deliver batches twice (local testing). */
  faultsFile?: string;
  logger: Logger;
}

const POSITION_TIMEOUT_MS = 30_000;

/** Every poller and schedule of the stack, started and stopped together. */
export class EventRunner {
  readonly deliveries = new DeliveryLog();
  private readonly invoker;
  private readonly clients;
  private readonly streamsApi;
  private readonly checkpoints;
  private readonly sqsPollers: SqsPoller[] = [];
  private readonly streamPollers: DynamoDbStreamPoller[] = [];
  private readonly scheduler: Scheduler;

  constructor(private readonly options: EventRunnerOptions) {
    const { region, accountId, logger } = options;
    this.invoker = createFunctionInvoker(options.lambdaEndpoints, region, this.deliveries);
    const pollerInvoke = options.faultsFile ? withDuplicateDelivery(this.invoker, new FaultSource(options.faultsFile)) : this.invoker;
    // Pollers back off on their own; SDK retries would only hide an emulator restart.
    const sdk = (endpoint: string) => ({ ...localClientConfig(endpoint, region), maxAttempts: 1 });
    this.clients = {
      dynamodb: new DynamoDBClient(sdk(options.dynamodbEndpoint)),
      sqs: new SQSClient(sdk(options.sqsEndpoint)),
      sns: new SNSClient(sdk(options.snsEndpoint)),
    };
    this.streamsApi = new DynamoDbStreamsApi(options.dynamodbEndpoint, region);
    this.checkpoints = new CheckpointStore(options.checkpointFile);
    for (const source of options.eventSources) {
      if (source.kind === 'sqs') {
        this.sqsPollers.push(new SqsPoller({ source, sqs: this.clients.sqs, invoke: pollerInvoke, region, accountId, logger }));
      } else {
        this.streamPollers.push(
          new DynamoDbStreamPoller({
            source,
            api: this.streamsApi,
            dynamodb: this.clients.dynamodb,
            invoke: pollerInvoke,
            checkpoints: this.checkpoints,
            destinations: { sqs: this.clients.sqs, sns: this.clients.sns, sqsEndpoint: options.sqsEndpoint, accountId },
            region,
            accountId,
            logger,
          }),
        );
      }
    }
    this.scheduler = new Scheduler(options.schedules, this.invoker, region, accountId, logger);
  }

  /** Starts every poller; resolves once each stream mapping's starting position is checkpointed. */
  async start(): Promise<void> {
    for (const poller of [...this.sqsPollers, ...this.streamPollers]) poller.start();
    this.scheduler.start();
    const positioned = Promise.all(this.streamPollers.map((poller) => poller.positioned));
    // A stream that cannot be read yet (its poller retries and says why) must not hold up the start for ever.
    const waited = await Promise.race([positioned.then(() => true), sleep(POSITION_TIMEOUT_MS).then(() => false)]);
    if (!waited) this.options.logger.warn(`not every stream mapping had fixed its starting position after ${POSITION_TIMEOUT_MS / 1000} s; starting anyway`);
  }

  describe(): Record<string, unknown> {
    return {
      eventSources: this.options.eventSources.map((source) => ({
        id: source.id,
        kind: source.kind,
        functionName: source.target.functionName,
        from: source.kind === 'sqs' ? source.queueArn : source.streamArn,
      })),
      schedules: this.options.schedules.map((s) => ({ id: s.id, functionName: s.target.functionName, expression: s.expression })),
    };
  }

  async stop(): Promise<void> {
    this.scheduler.stop();
    await Promise.all([...this.sqsPollers, ...this.streamPollers].map((poller) => poller.stop()));
    this.checkpoints.flush();
    this.invoker.close();
    this.streamsApi.close();
    for (const client of Object.values(this.clients)) client.destroy();
  }
}
