/**
 * Re-records test/fixtures from the real saga definition on the project's Step Functions server:
 * `npx tsx ops/inspector/test/helpers/record-fixtures.ts` (after the saga changes shape).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { loadSagaDefinition } from './saga-definition';
import { REGION, SCENARIOS, startSandbox } from './sandbox';

const DIR = path.join(__dirname, '../fixtures');

// A Parallel with two branches and a Map over three items (Pass/Choice states only).
const NESTED = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: { items: [1, 2, 3] }, Next: 'Fanout' },
    Fanout: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'BranchA1', States: { BranchA1: { Type: 'Pass', Next: 'BranchA2' }, BranchA2: { Type: 'Pass', End: true } } },
        { StartAt: 'BranchB1', States: { BranchB1: { Type: 'Pass', End: true } } },
      ],
      ResultPath: '$.parallel',
      Next: 'EachItem',
    },
    EachItem: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        StartAt: 'Double',
        States: {
          Double: { Type: 'Pass', Next: 'Check' },
          Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 2, Next: 'Big' }], Default: 'Small' },
          Big: { Type: 'Succeed' },
          Small: { Type: 'Pass', End: true },
        },
      },
      ResultPath: '$.mapped',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

const write = (name: string, value: unknown) => writeFileSync(path.join(DIR, `${name}.json`), `${JSON.stringify(value, null, 1)}\n`);

async function main(): Promise<void> {
  const sandbox = await startSandbox();
  const client = new SFNClient({ region: REGION, endpoint: sandbox.sfnUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const save = async (name: string, executionArn: string) => {
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const { $metadata: _metadata, ...describe } = await client.send(new DescribeExecutionCommand({ executionArn }));
    write(name, { describe, events });
  };
  const waitFor = async (executionArn: string) => {
    for (;;) {
      const { status } = await client.send(new DescribeExecutionCommand({ executionArn }));
      if (status !== 'RUNNING') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    write('saga-definition', JSON.parse(loadSagaDefinition({ maxAttempts: 2 })));
    const files = { success: 'saga-succeeded', declined: 'saga-declined', compensated: 'saga-compensated', retried: 'saga-retried', stuck: 'saga-redriven' };
    for (const [scenario, file] of Object.entries(files)) {
      const orderId = `ord-${scenario}`;
      const arn = await sandbox.placeOrder(orderId, SCENARIOS[scenario as keyof typeof SCENARIOS]);
      await waitFor(arn);
      if (scenario === 'stuck') {
        await save('saga-stuck', arn);
        sandbox.lambda.scenario(orderId, {});
        await client.send(new RedriveExecutionCommand({ executionArn: arn }));
        await waitFor(arn);
      }
      await save(file, arn);
    }
    write('nested-definition', NESTED);
    const machine = await client.send(
      new CreateStateMachineCommand({ name: 'nested', definition: JSON.stringify(NESTED), roleArn: 'arn:aws:iam::123456789012:role/nested' }),
    );
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, name: 'nested-1', input: '{}' }));
    await waitFor(executionArn!);
    await save('nested-succeeded', executionArn!);
  } finally {
    client.destroy();
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
