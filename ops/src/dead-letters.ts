import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type MessageAttributeValue,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/**
 * Dead-letter queues of a stage: what is in them, and moving their messages back to the queue
 * they came from once the cause is fixed. AWS's own redrive is StartMessageMoveTask; where a
 * queue service lacks it (fauxqs, the local stack's SQS, answers InvalidAction) the same effect
 * is had by receiving, sending to the source with the same body and message attributes, and
 * deleting only what was sent: at least once, never lost (a crash between send and delete leaves
 * a copy in both queues, which the idempotent consumers absorb).
 */

export interface QueueInfo {
  name: string;
  url: string;
  arn: string;
  /** ApproximateNumberOfMessages. */
  visible: number;
  /** ApproximateNumberOfMessagesNotVisible. */
  inFlight: number;
  fifo: boolean;
  redrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
}

export interface DeadLetterQueue extends QueueInfo {
  /** The queues whose RedrivePolicy sends their failures here (redrive moves messages back to them). */
  sources: QueueInfo[];
}

const MAX_BATCH = 10;

export const queueNameOf = (urlOrArn: string) => urlOrArn.split(/[/:]/).pop() ?? urlOrArn;

/** Every queue of the stage (`<service>-<stage>-<name>`) with its counts and redrive policy. */
export async function listStageQueues(sqs: SQSClient, stage: string): Promise<QueueInfo[]> {
  const urls: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken: nextToken }));
    urls.push(...(page.QueueUrls ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  const ofStage = new RegExp(`^[a-z0-9]+-${stage.replace(/[^a-z0-9-]/g, '')}-`);
  const queues = await Promise.all(
    urls.filter((url) => ofStage.test(queueNameOf(url))).map((url) => describeQueue(sqs, url)),
  );
  return queues.sort((a, b) => a.name.localeCompare(b.name));
}

export async function describeQueue(sqs: SQSClient, url: string): Promise<QueueInfo> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'RedrivePolicy', 'FifoQueue'],
    }),
  );
  const arn = a.QueueArn ?? '';
  const info: QueueInfo = {
    name: queueNameOf(arn || url),
    url,
    arn,
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    fifo: a.FifoQueue === 'true' || url.endsWith('.fifo'),
  };
  if (a.RedrivePolicy) {
    const policy = JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
    info.redrivePolicy = { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: Number(policy.maxReceiveCount) };
  }
  return info;
}

/**
 * The dead-letter queues among `queues`: each queue some RedrivePolicy points at (with those
 * sources), and each queue named `*-dlq` that none does (a stream's on-failure destination:
 * it holds records of failed batches, not messages of a queue, so it has no source to move to).
 */
export function deadLetterQueues(queues: readonly QueueInfo[]): DeadLetterQueue[] {
  return queues
    .map((queue) => ({ ...queue, sources: queues.filter((source) => source.redrivePolicy?.deadLetterTargetArn === queue.arn) }))
    .filter((queue) => queue.sources.length > 0 || /-dlq(\.fifo)?$/.test(queue.name));
}

/** Finds a dead-letter queue by name, URL or ARN. */
export function findDeadLetterQueue(dlqs: readonly DeadLetterQueue[], ref: string): DeadLetterQueue {
  const name = queueNameOf(ref);
  const found = dlqs.find((queue) => queue.name === name || queue.url === ref || queue.arn === ref);
  if (!found) {
    throw new Error(`"${ref}" is not a dead-letter queue of this stage; known: ${dlqs.map((queue) => queue.name).join(', ') || 'none'}`);
  }
  return found;
}

/**
 * Up to `max` messages of a queue, for reading: each is received once (hidden while the peek
 * runs, so that every receive returns new ones), then made visible again at once. Receiving
 * counts as a receive (ApproximateReceiveCount), as with AWS's console "poll for messages".
 */
export async function peekMessages(sqs: SQSClient, queue: Pick<QueueInfo, 'url'>, max = 10): Promise<Message[]> {
  const seen = new Map<string, Message>();
  try {
    while (seen.size < max) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.url,
          MaxNumberOfMessages: Math.min(MAX_BATCH, max - seen.size),
          WaitTimeSeconds: 1,
          VisibilityTimeout: 30,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const fresh = Messages.filter((message) => !seen.has(message.MessageId!));
      if (fresh.length === 0) break;
      for (const message of fresh) seen.set(message.MessageId!, message);
    }
  } finally {
    await makeVisible(sqs, queue.url, [...seen.values()]);
  }
  return [...seen.values()];
}

async function makeVisible(sqs: SQSClient, url: string, messages: Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += MAX_BATCH) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: messages.slice(i, i + MAX_BATCH).map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 })),
      }),
    );
  }
}

export type RedriveResult =
  | { method: 'StartMessageMoveTask'; dlq: string; destination: string; taskHandle: string; status?: string; moved?: number }
  | { method: 'receive-send-delete'; dlq: string; destination: string; moved: number; failed: number; reason: string };

export interface RedriveOptions {
  /** Move to this queue instead of the DLQ's source (needed when several queues share the DLQ). */
  destination?: QueueInfo;
  /** Use receive + send + delete even where StartMessageMoveTask exists. */
  forceManual?: boolean;
  /** StartMessageMoveTask only: wait until the task has finished. */
  wait?: boolean;
  log?: (line: string) => void;
  /** Poll interval while waiting for a move task. */
  pollMs?: number;
}

/** Error names with which a queue service says it does not implement StartMessageMoveTask. */
const UNSUPPORTED = new Set(['InvalidAction', 'UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', 'UnknownOperationException', 'NotImplemented']);

function isUnsupported(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; message?: string };
  return UNSUPPORTED.has(e.name ?? '') || UNSUPPORTED.has(e.Code ?? '') || /unknown action|not (implemented|supported)/i.test(e.message ?? '');
}

/** Where a DLQ's messages go back to: the given destination, else its one source queue. */
export function redriveDestination(dlq: DeadLetterQueue, destination?: QueueInfo): QueueInfo {
  if (destination) return destination;
  if (dlq.sources.length === 1) return dlq.sources[0]!;
  if (dlq.sources.length === 0) {
    throw new Error(
      `${dlq.name} is not the dead-letter queue of any queue (no RedrivePolicy names it): it is a stream's on-failure destination, ` +
        'whose messages describe failed batches of stream records; replay those records from the stream instead',
    );
  }
  throw new Error(`${dlq.name} receives from ${dlq.sources.map((q) => q.name).join(' and ')}: pass --to <queue> to say where its messages go`);
}

/**
 * Moves every message of `dlq` back to its source queue: StartMessageMoveTask where the service
 * has it, else receive + send (same body and message attributes) + delete.
 */
export async function redrive(sqs: SQSClient, dlq: DeadLetterQueue, options: RedriveOptions = {}): Promise<RedriveResult> {
  const destination = redriveDestination(dlq, options.destination);
  const log = options.log ?? (() => undefined);
  if (!options.forceManual) {
    try {
      const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: destination.arn }));
      const result: RedriveResult = { method: 'StartMessageMoveTask', dlq: dlq.name, destination: destination.name, taskHandle: TaskHandle ?? '' };
      if (!options.wait) return result;
      return { ...result, ...(await waitForMoveTask(sqs, dlq.arn, TaskHandle ?? '', options.pollMs ?? 2_000, log)) };
    } catch (error) {
      if (!isUnsupported(error)) throw error;
      log(`StartMessageMoveTask is not available here (${(error as Error).name}: ${(error as Error).message}); moving by receive + send + delete`);
      const moved = await moveByHand(sqs, dlq, destination, log);
      return { method: 'receive-send-delete', dlq: dlq.name, destination: destination.name, ...moved, reason: `${(error as Error).name}` };
    }
  }
  const moved = await moveByHand(sqs, dlq, destination, log);
  return { method: 'receive-send-delete', dlq: dlq.name, destination: destination.name, ...moved, reason: 'requested' };
}

async function waitForMoveTask(sqs: SQSClient, sourceArn: string, handle: string, pollMs: number, log: (line: string) => void) {
  for (;;) {
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }));
    const task = Results.find((result) => result.TaskHandle === handle) ?? Results[0];
    const status = task?.Status ?? 'UNKNOWN';
    if (status !== 'RUNNING') {
      if (task?.FailureReason) log(`move task ${status}: ${task.FailureReason}`);
      return { status, moved: task?.ApproximateNumberOfMessagesMoved ?? 0 };
    }
    log(`move task running: ${task?.ApproximateNumberOfMessagesMoved ?? 0} of ${task?.ApproximateNumberOfMessagesToMove ?? '?'} moved`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Message attributes as SendMessage takes them (only the fields it accepts). */
export function sendableAttributes(attributes: Record<string, MessageAttributeValue> | undefined): Record<string, MessageAttributeValue> | undefined {
  if (!attributes || Object.keys(attributes).length === 0) return undefined;
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        DataType: value.DataType,
        ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
      },
    ]),
  );
}

function sendEntry(message: Message, index: number, fifo: boolean): SendMessageBatchRequestEntry {
  const attributes = sendableAttributes(message.MessageAttributes);
  return {
    Id: String(index),
    MessageBody: message.Body ?? '',
    ...(attributes ? { MessageAttributes: attributes } : {}),
    ...(fifo
      ? {
          MessageGroupId: message.Attributes?.MessageGroupId ?? 'redrive',
          MessageDeduplicationId: message.Attributes?.MessageDeduplicationId ?? message.MessageId,
        }
      : {}),
  };
}

/** Receive, send to the destination, delete what was sent; until the DLQ answers empty twice. */
async function moveByHand(sqs: SQSClient, dlq: QueueInfo, destination: QueueInfo, log: (line: string) => void): Promise<{ moved: number; failed: number }> {
  let moved = 0;
  const failedIds = new Set<string>();
  let emptyReceives = 0;
  let roundsWithoutProgress = 0;
  while (emptyReceives < 2 && roundsWithoutProgress < 5) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.url,
        MaxNumberOfMessages: MAX_BATCH,
        WaitTimeSeconds: 1,
        // Long enough to send and delete; a crash meanwhile leaves them in the DLQ for the next try.
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) {
      emptyReceives += 1;
      continue;
    }
    emptyReceives = 0;
    const sent = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: destination.url, Entries: Messages.map((message, index) => sendEntry(message, index, destination.fifo)) }),
    );
    const sentIds = new Set((sent.Successful ?? []).map((entry) => entry.Id));
    const done = Messages.filter((_, index) => sentIds.has(String(index)));
    const notSent = Messages.filter((_, index) => !sentIds.has(String(index)));
    for (const failure of sent.Failed ?? []) log(`could not send a message to ${destination.name}: ${failure.Code}: ${failure.Message ?? ''}`);
    if (done.length > 0) {
      const deleted = await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: dlq.url, Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })) }),
      );
      for (const failure of deleted.Failed ?? []) log(`sent but could not delete from ${dlq.name} (it may be moved twice): ${failure.Code}`);
    }
    // What could not be sent stays in the DLQ, visible again for the next attempt or run.
    if (notSent.length > 0) await makeVisible(sqs, dlq.url, notSent);
    moved += done.length;
    for (const message of done) failedIds.delete(message.MessageId!);
    for (const message of notSent) failedIds.add(message.MessageId!);
    roundsWithoutProgress = done.length === 0 ? roundsWithoutProgress + 1 : 0;
  }
  return { moved, failed: failedIds.size };
}
