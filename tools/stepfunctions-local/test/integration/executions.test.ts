import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ListExecutionsCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type ExecutionListItem,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { createMachine, history, skeleton, startLocal, waitForEnd, waitForHistory } from '../helpers/sfn';

// Generous: the machine is shared and slow; nothing here asserts on speed.
jest.setTimeout(60_000);

/** A machine whose input decides the outcome: succeed, fail, or wait (stays RUNNING). */
const routed = {
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.outcome', StringEquals: 'fail', Next: 'Boom' },
        { Variable: '$.outcome', StringEquals: 'wait', Next: 'Hold' },
      ],
      Default: 'Done',
    },
    Hold: { Type: 'Wait', Seconds: 300, Next: 'Done' },
    Boom: { Type: 'Fail', Error: 'Boom', Cause: 'asked to fail' },
    Done: { Type: 'Succeed' },
  },
};

let local: Awaited<ReturnType<typeof startLocal>>;
let sfn: SFNClient;

beforeAll(async () => {
  local = await startLocal();
  sfn = local.sfn;
});

afterAll(() => local.close());

async function start(machineArn: string, name: string, outcome: string, extra: object = {}) {
  const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name, input: JSON.stringify({ outcome, ...extra }) }));
  if (!out.executionArn) throw new Error('no executionArn');
  return out;
}

async function listAll(stateMachineArn: string, options: { statusFilter?: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED'; maxResults?: number } = {}) {
  const pages: ExecutionListItem[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken, ...options }));
    pages.push(page.executions ?? []);
    nextToken = page.nextToken;
  } while (nextToken);
  return pages;
}

describe('ListExecutions', () => {
  let machineArn: string;
  const names: string[] = [];

  beforeAll(async () => {
    machineArn = await createMachine(sfn, 'routed-list', routed);
    const plan = ['ok', 'fail', 'ok', 'wait', 'ok', 'fail', 'ok', 'wait', 'fail', 'ok'];
    for (const [i, outcome] of plan.entries()) {
      const name = `exec-${i}-${outcome}`;
      names.push(name);
      const { executionArn } = await start(machineArn, name, outcome);
      if (outcome !== 'wait') await waitForEnd(sfn, executionArn ?? '');
    }
  });

  test('lists newest first, with AWS list item fields', async () => {
    const [page = []] = await listAll(machineArn);
    expect(page.map((e) => e.name)).toEqual([...names].reverse());
    const first = page.find((e) => e.name === 'exec-0-ok');
    expect(first).toMatchObject({ stateMachineArn: machineArn, status: 'SUCCEEDED', redriveCount: 0 });
    expect(first?.startDate).toBeInstanceOf(Date);
    expect(first?.stopDate).toBeInstanceOf(Date);
    expect(page.find((e) => e.status === 'RUNNING')?.stopDate).toBeUndefined();
  });

  test('filters by status', async () => {
    const byStatus = async (statusFilter: 'RUNNING' | 'SUCCEEDED' | 'FAILED') =>
      (await listAll(machineArn, { statusFilter })).flat().map((e) => e.name);
    expect(await byStatus('SUCCEEDED')).toEqual(['exec-9-ok', 'exec-6-ok', 'exec-4-ok', 'exec-2-ok', 'exec-0-ok']);
    expect(await byStatus('FAILED')).toEqual(['exec-8-fail', 'exec-5-fail', 'exec-1-fail']);
    expect(await byStatus('RUNNING')).toEqual(['exec-7-wait', 'exec-3-wait']);
  });

  test('pages with maxResults and nextToken, without gaps or repeats', async () => {
    const pages = await listAll(machineArn, { maxResults: 3 });
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(pages.flat().map((e) => e.name)).toEqual([...names].reverse());

    const filtered = await listAll(machineArn, { statusFilter: 'SUCCEEDED', maxResults: 2 });
    expect(filtered.map((p) => p.length)).toEqual([2, 2, 1]);
  });

  test('a page that ends exactly at the last item has no nextToken', async () => {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, statusFilter: 'FAILED', maxResults: 3 }));
    expect(page.executions).toHaveLength(3);
    expect(page.nextToken).toBeUndefined();
  });

  test('new executions do not shift a page in progress', async () => {
    const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, maxResults: 4 }));
    const { executionArn } = await start(machineArn, 'late-arrival', 'ok');
    await waitForEnd(sfn, executionArn ?? '');
    const second = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, maxResults: 4, nextToken: first.nextToken }));
    expect(second.executions?.map((e) => e.name)).toEqual(['exec-5-fail', 'exec-4-ok', 'exec-3-wait', 'exec-2-ok']);
  });
});

describe('StopExecution', () => {
  let machineArn: string;

  beforeAll(async () => {
    machineArn = await createMachine(sfn, 'routed-stop', routed);
  });

  test('aborts a running execution, keeping error and cause', async () => {
    const { executionArn = '' } = await start(machineArn, 'to-stop', 'wait');
    await waitForHistory(sfn, executionArn, (events) => events.some((e) => e.type === 'WaitStateEntered'));

    const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator.Cancelled', cause: 'customer cancelled the order' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({
      status: 'ABORTED',
      error: 'Operator.Cancelled',
      cause: 'customer cancelled the order',
      redriveStatus: 'REDRIVABLE',
    });
    expect(described.stopDate?.getTime()).toBe(stopped.stopDate?.getTime());

    // As AWS records it: the abort is linked to nothing (previousEventId 0).
    const events = await waitForHistory(sfn, executionArn, (e) => e.some((x) => x.type === 'ExecutionAborted'));
    expect(skeleton(events)).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'ChoiceStateEntered'],
      [3, 2, 'ChoiceStateExited'],
      [4, 3, 'WaitStateEntered'],
      [5, 0, 'ExecutionAborted'],
    ]);
    expect(events[4]?.executionAbortedEventDetails).toEqual({ error: 'Operator.Cancelled', cause: 'customer cancelled the order' });
  });

  test('without error or cause the abort details are empty; stopping again is harmless', async () => {
    const { executionArn = '' } = await start(machineArn, 'to-stop-plain', 'wait');
    const first = await sfn.send(new StopExecutionCommand({ executionArn }));
    const again = await sfn.send(new StopExecutionCommand({ executionArn }));
    expect(again.stopDate?.getTime()).toBe(first.stopDate?.getTime());
    const events = await waitForHistory(sfn, executionArn, (e) => e.some((x) => x.type === 'ExecutionAborted'));
    expect(events.at(-1)?.executionAbortedEventDetails).toEqual({});
    expect(events.filter((e) => e.type === 'ExecutionAborted')).toHaveLength(1);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.error).toBeUndefined();
    expect(described.status).toBe('ABORTED');
  });

  test('stopping a finished execution changes nothing', async () => {
    const { executionArn = '' } = await start(machineArn, 'already-done', 'ok');
    const done = await waitForEnd(sfn, executionArn);
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn }));
    expect(stopped.stopDate?.getTime()).toBe(done.stopDate?.getTime());
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');
  });
});

describe('StartExecution idempotency (Standard)', () => {
  let machineArn: string;

  beforeAll(async () => {
    machineArn = await createMachine(sfn, 'routed-idempotent', routed);
  });

  test('same name and input while RUNNING returns the same execution', async () => {
    const first = await start(machineArn, 'order-42', 'wait', { orderId: 42 });
    const second = await start(machineArn, 'order-42', 'wait', { orderId: 42 });
    expect(second.executionArn).toBe(first.executionArn);
    expect(second.startDate?.getTime()).toBe(first.startDate?.getTime());
    const [page = []] = await listAll(machineArn);
    expect(page.filter((e) => e.name === 'order-42')).toHaveLength(1);
  });

  test('same name with another input is ExecutionAlreadyExists', async () => {
    await expect(start(machineArn, 'order-42', 'wait', { orderId: 43 })).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  test('same name and input after the execution closed is ExecutionAlreadyExists', async () => {
    const { executionArn = '' } = await start(machineArn, 'order-42', 'wait', { orderId: 42 });
    await sfn.send(new StopExecutionCommand({ executionArn }));
    await expect(start(machineArn, 'order-42', 'wait', { orderId: 42 })).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
      message: `Execution Already Exists: '${executionArn}'`,
    });
  });

  test('names are unique per state machine, not globally', async () => {
    const other = await createMachine(sfn, 'routed-other', routed);
    const { executionArn = '' } = await start(other, 'order-42', 'ok', { orderId: 42 });
    expect(executionArn).toContain(':execution:routed-other:order-42');
    expect((await waitForEnd(sfn, executionArn)).status).toBe('SUCCEEDED');
  });

  test('a generated name is a UUID', async () => {
    const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: '{"outcome":"ok"}' }));
    expect(out.executionArn).toMatch(/:execution:routed-idempotent:[0-9a-f-]{36}$/u);
    expect((await waitForEnd(sfn, out.executionArn ?? '')).status).toBe('SUCCEEDED');
  });
});

test('DescribeExecution reports a failure and its redrive status', async () => {
  const machineArn = await createMachine(sfn, 'routed-describe', routed);
  const { executionArn = '' } = await start(machineArn, 'fails', 'fail');
  const described = await waitForEnd(sfn, executionArn);
  expect(described).toMatchObject({
    executionArn,
    stateMachineArn: machineArn,
    name: 'fails',
    status: 'FAILED',
    input: '{"outcome":"fail"}',
    inputDetails: { included: true },
    error: 'Boom',
    cause: 'asked to fail',
    redriveCount: 0,
    redriveStatus: 'REDRIVABLE',
  });
  expect(described.output).toBeUndefined();
  const events = await history(sfn, executionArn);
  expect(skeleton(events)).toEqual([
    [1, 0, 'ExecutionStarted'],
    [2, 0, 'ChoiceStateEntered'],
    [3, 2, 'ChoiceStateExited'],
    [4, 3, 'FailStateEntered'],
    [5, 4, 'ExecutionFailed'],
  ]);
  expect(events[4]?.executionFailedEventDetails).toEqual({ error: 'Boom', cause: 'asked to fail' });
});
