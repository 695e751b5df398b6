import { readdirSync } from 'node:fs';
import {
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { createLocalInvoker, RESTART_CAUSE, RESTART_ERROR } from '../../src';
import { createMachine, history, skeleton, startLocal, tempDir, waitForEnd, waitForHistory } from '../helpers/sfn';

// Generous: the machine is shared and slow; nothing here asserts on speed.
jest.setTimeout(60_000);

/** Pass → Wait ($.wait seconds) → Succeed: `wait` large keeps an execution RUNNING across a restart. */
const holding = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: 'prepared', ResultPath: '$.prep', Next: 'Hold' },
    Hold: { Type: 'Wait', SecondsPath: '$.wait', Next: 'Finish' },
    Finish: { Type: 'Succeed' },
  },
};

let dir: ReturnType<typeof tempDir>;

beforeEach(() => {
  dir = tempDir();
});

afterEach(() => dir.remove());

async function start(sfn: SFNClient, stateMachineArn: string, name: string, wait: number): Promise<string> {
  const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ wait }) }));
  return out.executionArn ?? '';
}

const waiting = (sfn: SFNClient, arn: string) => waitForHistory(sfn, arn, (events) => events.some((e) => e.type === 'WaitStateEntered'));

test('a restart keeps machines, executions and history; a running execution comes back ABORTED and redrivable', async () => {
  const first = await startLocal({ dataDir: dir.path, flushDelayMs: 20 });
  const machineArn = await createMachine(first.sfn, 'persisted', holding);
  const doneArn = await start(first.sfn, machineArn, 'finished', 0);
  const finished = await waitForEnd(first.sfn, doneArn);
  const runningArn = await start(first.sfn, machineArn, 'interrupted', 300);
  const runningBefore = await waiting(first.sfn, runningArn);
  const finishedHistory = await history(first.sfn, doneArn);
  const describedMachine = await first.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }));
  const gone = await createMachine(first.sfn, 'deleted-before-restart', holding);
  await first.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: gone }));
  await first.close();

  // Written atomically: no temp file is left behind.
  const files = readdirSync(dir.path);
  expect(files).toContain('meta.json');
  expect(files.some((f) => /^segment-\d+\.json$/u.test(f))).toBe(true);
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);

  const second = await startLocal({ dataDir: dir.path, flushDelayMs: 20 });
  try {
    const sfn = second.sfn;
    const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }));
    expect({ ...machine, $metadata: undefined }).toEqual({ ...describedMachine, $metadata: undefined });
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((m) => m.name)).toEqual(['persisted']);

    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    expect(listed.executions?.map((e) => [e.name, e.status])).toEqual([
      ['interrupted', 'ABORTED'],
      ['finished', 'SUCCEEDED'],
    ]);
    const finishedAfter = await sfn.send(new DescribeExecutionCommand({ executionArn: doneArn }));
    expect({ ...finishedAfter, $metadata: undefined }).toEqual({ ...finished, $metadata: undefined });
    expect(await history(sfn, doneArn)).toEqual(finishedHistory);

    // The interrupted execution: ABORTED by the restart, with its history kept and the abort appended.
    const interrupted = await sfn.send(new DescribeExecutionCommand({ executionArn: runningArn }));
    expect(interrupted).toMatchObject({ status: 'ABORTED', error: RESTART_ERROR, cause: RESTART_CAUSE, redriveStatus: 'REDRIVABLE' });
    const afterRestart = await history(sfn, runningArn);
    expect(afterRestart.slice(0, runningBefore.length)).toEqual(runningBefore);
    expect(skeleton(afterRestart.slice(runningBefore.length))).toEqual([[5, 0, 'ExecutionAborted']]);
    expect(afterRestart[4]?.executionAbortedEventDetails).toEqual({ error: RESTART_ERROR, cause: RESTART_CAUSE });

    // Names survive the restart too.
    await expect(start(sfn, machineArn, 'finished', 0)).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });

    // Redrivable: it resumes in the Wait state it was in.
    await sfn.send(new RedriveExecutionCommand({ executionArn: runningArn }));
    const resumed = await waitForHistory(sfn, runningArn, (events) => events.filter((e) => e.type === 'WaitStateEntered').length === 2);
    expect(skeleton(resumed.slice(4))).toEqual([
      [5, 0, 'ExecutionAborted'],
      [6, 5, 'ExecutionRedriven'],
      [7, 6, 'WaitStateEntered'],
    ]);
    await sfn.send(new StopExecutionCommand({ executionArn: runningArn }));
  } finally {
    await second.close();
  }
});

test('with resumeOnRestart an interrupted execution is redriven and completes', async () => {
  // The first call blocks until the test releases it (after the restart): the execution is
  // deterministically mid-task when the first server stops. The resumed run calls again.
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let calls = 0;
  const invoker = createLocalInvoker({
    'inventory-local-reserve': async () => {
      calls += 1;
      if (calls === 1) await gate;
      return { reserved: true };
    },
  });
  const reserve = {
    StartAt: 'Reserve',
    States: { Reserve: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:inventory-local-reserve', End: true } },
  };
  const first = await startLocal({ dataDir: dir.path, invoker });
  const machineArn = await createMachine(first.sfn, 'resumable', reserve);
  const { executionArn: arn = '' } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'resume-me' }));
  await waitForHistory(first.sfn, arn, (events) => events.some((e) => e.type === 'LambdaFunctionStarted'));
  await first.close();

  const second = await startLocal({ dataDir: dir.path, invoker, resumeOnRestart: true });
  try {
    const done = await waitForEnd(second.sfn, arn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, output: '{"reserved":true}' });
    expect(skeleton(await history(second.sfn, arn))).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'TaskStateEntered'],
      [3, 2, 'LambdaFunctionScheduled'],
      [4, 3, 'LambdaFunctionStarted'],
      [5, 0, 'ExecutionAborted'],
      [6, 5, 'ExecutionRedriven'],
      [7, 6, 'TaskStateEntered'],
      [8, 7, 'LambdaFunctionScheduled'],
      [9, 8, 'LambdaFunctionStarted'],
      [10, 9, 'LambdaFunctionSucceeded'],
      [11, 10, 'TaskStateExited'],
      [12, 11, 'ExecutionSucceeded'],
    ]);
    expect(calls).toBe(2);
  } finally {
    release();
    await second.close();
  }
});

test('writes are batched: many executions, few segment files; retention applies after a restart', async () => {
  const first = await startLocal({ dataDir: dir.path, flushDelayMs: 200, retainExecutions: 100 });
  const machineArn = await createMachine(first.sfn, 'batched', holding);
  const arns = await Promise.all(Array.from({ length: 40 }, (_, i) => start(first.sfn, machineArn, `quick-${i}`, 0)));
  await Promise.all(arns.map((arn) => waitForEnd(first.sfn, arn)));
  await first.close();
  const segments = readdirSync(dir.path).filter((f) => f.startsWith('segment-'));
  expect(segments.length).toBeGreaterThan(0);
  expect(segments.length).toBeLessThan(10);

  // A smaller retention on restart keeps the newest executions only.
  const second = await startLocal({ dataDir: dir.path, retainExecutions: 5 });
  try {
    const listed = await second.sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    expect(listed.executions).toHaveLength(5);
    // The evicted ones are gone from every action, not just from the list.
    const reachable = await Promise.all(arns.map((arn) => history(second.sfn, arn).then(() => true, () => false)));
    expect(reachable.filter(Boolean)).toHaveLength(5);
  } finally {
    await second.close();
  }
  // Compacted at start: one snapshot segment.
  expect(readdirSync(dir.path).filter((f) => f.startsWith('segment-'))).toHaveLength(1);
});
