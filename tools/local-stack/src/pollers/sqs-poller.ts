import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../log';
import { Backoff } from '../process/backoff';
import { sleep } from '../process/wait';
import type { SqsEventSource } from '../provision/event-sources';
import { judgeBatch } from './batch-response';
import type { FunctionInvoker } from './function-invoker';
import { toSqsEvent } from './sqs-event';

export interface SqsPollerOptions {
  source: SqsEventSource;
  sqs: SQSClient;
  invoke: FunctionInvoker;
  region: string;
  /** SenderId for messages whose SQS did not report one. */
  accountId: string;
  logger: Logger;
  /** Long-poll wait (AWS's pollers use 20 s); tests use less so they stop quickly. */
  waitTimeSeconds?: number;
  /** Batches in flight at once (AWS starts with five pollers); ScalingConfig.MaximumConcurrency wins. */
  concurrency?: number;
}

const MAX_RECEIVE = 10; // ReceiveMessage's own limit per call

/**
 * Lambda's SQS event source, locally: long-poll the queue, gather up to BatchSize messages
 * (within MaximumBatchingWindowInSeconds), invoke the function synchronously with the SQS event,
 * then delete what succeeded. A function error deletes nothing; with ReportBatchItemFailures the
 * listed messages stay. What stays becomes visible again after the queue's visibility timeout,
 * and SQS's RedrivePolicy moves it to the DLQ after maxReceiveCount receives, as on AWS.
 * Emulator or endpoint outages are retried with backoff; nothing here throws out of the loop.
 */
export class SqsPoller {
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];
  private readonly name: string;

  constructor(private readonly options: SqsPollerOptions) {
    this.name = `${options.source.target.functionName} ← ${options.source.queueArn.split(':').pop()}`;
  }

  start(): void {
    const concurrency = this.options.source.maximumConcurrency ?? this.options.concurrency ?? 2;
    for (let i = 0; i < Math.max(1, concurrency); i += 1) this.loops.push(this.loop());
  }

  /** Stops receiving; batches already received are delivered and settled first. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    this.loops = [];
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async loop(): Promise<void> {
    const backoff = new Backoff();
    while (!this.stopped) {
      try {
        const messages = await this.receiveBatch();
        if (messages.length > 0) await this.deliver(messages);
        if (backoff.failures > 0) this.options.logger.info(`${this.name}: polling again`);
        backoff.reset();
      } catch (error) {
        if (this.stopped) break;
        if (backoff.failures === 0) this.options.logger.warn(`${this.name}: ${(error as Error).message} (retrying with backoff)`);
        await sleep(backoff.next(), this.abort.signal);
      }
    }
  }

  private async receive(max: number, waitSeconds: number): Promise<Message[]> {
    try {
      const out = await this.options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.source.queueUrl,
          MaxNumberOfMessages: Math.min(MAX_RECEIVE, max),
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: this.abort.signal },
      );
      return out.Messages ?? [];
    } catch (error) {
      if (this.stopped) return [];
      throw error;
    }
  }

  /** Up to BatchSize messages: the first receive long-polls, the rest fill the batching window. */
  private async receiveBatch(): Promise<Message[]> {
    const { batchSize, maximumBatchingWindowSeconds } = this.options.source;
    const batch = await this.receive(batchSize, this.options.waitTimeSeconds ?? 20);
    if (batch.length === 0) return batch;
    const deadline = Date.now() + maximumBatchingWindowSeconds * 1000;
    while (batch.length < batchSize && Date.now() < deadline && !this.stopped) {
      const wait = Math.min(20, Math.floor((deadline - Date.now()) / 1000));
      const more = await this.receive(batchSize - batch.length, Math.max(0, wait));
      if (more.length === 0 && wait === 0) await sleep(Math.min(100, deadline - Date.now()), this.abort.signal);
      for (const message of more) {
        // A visibility timeout shorter than the batching window hands a message out twice:
        // keep one copy, with the newest receipt handle (the only one that can delete it).
        const earlier = batch.findIndex((m) => m.MessageId === message.MessageId);
        if (earlier >= 0) batch[earlier] = message;
        else batch.push(message);
      }
    }
    return batch;
  }

  private async deliver(messages: Message[]): Promise<void> {
    const { source, region, accountId } = this.options;
    const event = toSqsEvent(messages, source.queueArn, region, accountId);
    // An endpoint that cannot be reached throws: nothing is deleted, the messages come back
    // after their visibility timeout (as when AWS cannot invoke), and the loop backs off.
    const outcome = await this.options.invoke(source.target.functionName, event, { timeoutMs: (source.target.timeoutSeconds + 5) * 1000 });
    const verdict = judgeBatch(outcome, messages.map((m) => m.MessageId!), source.reportBatchItemFailures);
    if (verdict.kind === 'failed') {
      this.options.logger.warn(`${this.name}: batch of ${messages.length} failed (${verdict.reason}); nothing deleted, SQS will redeliver`);
      return;
    }
    const settled = verdict.kind === 'partial' ? messages.filter((m) => !verdict.failedIds.has(m.MessageId!)) : messages;
    if (verdict.kind === 'partial') {
      this.options.logger.debug(`${this.name}: ${verdict.failedIds.size} of ${messages.length} failed; deleting the rest`);
    }
    await this.deleteMessages(settled);
  }

  private async deleteMessages(messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += MAX_RECEIVE) {
      const chunk = messages.slice(i, i + MAX_RECEIVE);
      const out = await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.source.queueUrl,
          Entries: chunk.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
      for (const failed of out.Failed ?? []) {
        this.options.logger.warn(`${this.name}: could not delete a processed message (${failed.Code}: ${failed.Message}); it will be redelivered`);
      }
    }
  }
}
