/**
 * `npm run dlq -- list|show|redrive [queue]`: the dead-letter queues of a stage, on the local
 * stack or AWS alike. See ops/README.md.
 */
import { SQSClient, type Message } from '@aws-sdk/client-sqs';
import {
  deadLetterQueues,
  findDeadLetterQueue,
  listStageQueues,
  peekMessages,
  queueNameOf,
  redrive,
  type DeadLetterQueue,
  type RedriveResult,
} from './dead-letters';
import { runFromCommandLine, parseCommandArgs, type CliIo } from './command-args';
import { clientConfig, resolveTarget, TargetError, type Target } from './target';

const USAGE = `usage: npm run dlq -- <command> [queue] [options]

commands
  list                  dead-letter queues of the stage, their message counts and where they come from
  show [queue]          the messages of one DLQ (or of every non-empty one), made visible again afterwards
  redrive [queue]       moves the messages of one DLQ (or of every non-empty one) back to its source queue

options
  --stage <stage>       local (default: the local stack of npm start) or an AWS stage (default credentials)
  --region <region>     AWS region (default AWS_REGION, else eu-west-1)
  --max <n>             show: at most n messages per queue (default 10)
  --to <queue>          redrive: destination, when several queues share the DLQ
  --manual              redrive: receive + send + delete even where StartMessageMoveTask exists
  --wait                redrive: wait until AWS's move task has finished
  --json                machine-readable output
  queue                 a DLQ's name (e.g. notification-local-events-dlq), URL or ARN`;

export interface DlqIo extends CliIo {
  /** Tests hand in their own client. */
  sqs?: (target: Target) => SQSClient;
}

class UsageError extends Error {}

export async function runDlq(argv: string[], io: DlqIo): Promise<number> {
  const parsed = parseCommandArgs(
    {
      args: argv,
      allowPositionals: true,
      options: {
        stage: { type: 'string' },
        region: { type: 'string' },
        max: { type: 'string' },
        to: { type: 'string' },
        manual: { type: 'boolean' },
        wait: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [command, queueRef, ...extra] = positionals;
  const json = values.json === true;
  const fail = (code: number, message: string) => {
    if (json) io.stderr(JSON.stringify({ error: { message } }));
    else io.stderr(message);
    return code;
  };
  if (!command || !['list', 'show', 'redrive'].includes(command) || extra.length > 0) {
    return fail(2, command ? `unknown command or extra arguments: ${positionals.join(' ')}\n\n${USAGE}` : USAGE);
  }
  const max = values.max === undefined ? 10 : Number(values.max);
  if (!Number.isInteger(max) || max < 1) return fail(2, `--max must be a positive integer, got "${values.max}"`);

  let target: Target;
  try {
    target = resolveTarget({ stage: values.stage, region: values.region }, io.env ?? process.env);
  } catch (error) {
    return fail(error instanceof TargetError ? 1 : 2, (error as Error).message);
  }
  const sqs = io.sqs ? io.sqs(target) : new SQSClient(clientConfig(target, 'sqs'));
  try {
    const queues = await listStageQueues(sqs, target.stage);
    const dlqs = deadLetterQueues(queues);
    const selected = (): DeadLetterQueue[] => {
      if (queueRef) return [findDeadLetterQueue(dlqs, queueRef)];
      return dlqs.filter((dlq) => dlq.visible > 0);
    };
    if (!json) io.stdout(`stage ${target.stage} · ${target.source}`);

    if (command === 'list') {
      if (json) io.stdout(JSON.stringify({ stage: target.stage, deadLetterQueues: dlqs.map(listView) }, null, 2));
      else printList(io, dlqs);
      return 0;
    }

    if (command === 'show') {
      const shown = [];
      for (const dlq of selected()) {
        const messages = await peekMessages(sqs, dlq, max);
        shown.push({ queue: dlq.name, approximateMessages: dlq.visible, messages: messages.map(messageView) });
      }
      if (json) io.stdout(JSON.stringify({ stage: target.stage, queues: shown }, null, 2));
      else if (shown.length === 0) io.stdout('every dead-letter queue is empty');
      else for (const queue of shown) printMessages(io, queue);
      return 0;
    }

    // redrive
    const destination = values.to ? queues.find((queue) => queue.name === queueNameOf(values.to!) || queue.url === values.to || queue.arn === values.to) : undefined;
    if (values.to && !destination) throw new UsageError(`--to ${values.to}: no such queue in stage ${target.stage}`);
    const results: RedriveResult[] = [];
    const chosen = selected();
    for (const dlq of chosen) {
      results.push(
        await redrive(sqs, dlq, {
          ...(destination ? { destination } : {}),
          forceManual: values.manual === true,
          wait: values.wait === true,
          log: (line) => (json ? io.stderr(line) : io.stdout(`  ${line}`)),
        }),
      );
    }
    if (json) io.stdout(JSON.stringify({ stage: target.stage, redriven: results }, null, 2));
    else if (chosen.length === 0) io.stdout('every dead-letter queue is empty: nothing to redrive');
    else for (const result of results) io.stdout(describeRedrive(result));
    const failed = results.some((result) => result.method === 'receive-send-delete' && result.failed > 0);
    return failed ? 1 : 0;
  } catch (error) {
    return fail(error instanceof UsageError ? 2 : 1, (error as Error).message);
  } finally {
    if (!io.sqs) sqs.destroy();
  }
}

function listView(dlq: DeadLetterQueue) {
  return {
    name: dlq.name,
    url: dlq.url,
    messages: dlq.visible,
    inFlight: dlq.inFlight,
    sources: dlq.sources.map((source) => ({ name: source.name, maxReceiveCount: source.redrivePolicy?.maxReceiveCount })),
    redrive: dlq.sources.length > 0 ? 'to its source queue' : 'none (a stream on-failure destination)',
  };
}

function messageView(message: Message) {
  let body: unknown = message.Body;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    // Not JSON: shown as it is (a poison message often is not).
  }
  const sent = message.Attributes?.SentTimestamp;
  return {
    messageId: message.MessageId,
    sentAt: sent ? new Date(Number(sent)).toISOString() : undefined,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    messageAttributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? `<${v.DataType}>`])),
    body,
  };
}

function printList(io: DlqIo, dlqs: DeadLetterQueue[]): void {
  if (dlqs.length === 0) {
    io.stdout('no dead-letter queues in this stage');
    return;
  }
  const rows = dlqs.map((dlq) => [
    dlq.name,
    String(dlq.visible) + (dlq.inFlight > 0 ? ` (+${dlq.inFlight} in flight)` : ''),
    dlq.sources.length > 0 ? dlq.sources.map((s) => `${s.name} (after ${s.redrivePolicy?.maxReceiveCount} receives)`).join(', ') : 'stream on-failure destination (no redrive)',
  ]);
  const header = ['dead-letter queue', 'messages', 'source'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  io.stdout(line(header));
  for (const row of rows) io.stdout(line(row));
}

function printMessages(io: DlqIo, queue: { queue: string; approximateMessages: number; messages: ReturnType<typeof messageView>[] }): void {
  io.stdout(`\n${queue.queue}: ${queue.messages.length} shown of about ${queue.approximateMessages}`);
  for (const message of queue.messages) {
    io.stdout(`- ${message.messageId}  sent ${message.sentAt ?? '?'}  received ${message.receiveCount}x`);
    if (Object.keys(message.messageAttributes).length > 0) io.stdout(`  attributes ${JSON.stringify(message.messageAttributes)}`);
    const body = typeof message.body === 'string' ? message.body : JSON.stringify(message.body, null, 2);
    io.stdout(body.split('\n').map((l) => `  ${l}`).join('\n'));
  }
}

function describeRedrive(result: RedriveResult): string {
  if (result.method === 'StartMessageMoveTask') {
    return `${result.dlq} -> ${result.destination}: move task ${result.taskHandle}${result.status ? ` ${result.status}, ${result.moved ?? 0} moved` : ' started (--wait to follow it)'}`;
  }
  return `${result.dlq} -> ${result.destination}: ${result.moved} moved by receive + send + delete${result.failed > 0 ? `, ${result.failed} could not be sent (still in the DLQ)` : ''}`;
}

if (require.main === module) runFromCommandLine(runDlq);
