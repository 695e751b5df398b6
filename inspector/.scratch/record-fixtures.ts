import { writeFileSync } from 'node:fs';
import { SFNClient, GetExecutionHistoryCommand, DescribeExecutionCommand, RedriveExecutionCommand, CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startSandbox, SCENARIOS } from '../test/helpers/sandbox';
import { loadSagaDefinition } from '../test/helpers/saga-definition';
const dir = '/work/main/inspector/test/fixtures';
(async () => {
  const sb = await startSandbox();
  const client = new SFNClient({ region: 'eu-west-1', endpoint: sb.sfnUrl, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const save = async (file: string, arn: string) => {
    const h = await client.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000 }));
    const d = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    delete (d as any).$metadata;
    writeFileSync(`${dir}/${file}.json`, JSON.stringify({ describe: d, events: h.events }, null, 1) + '\n');
  };
  writeFileSync(`${dir}/saga-definition.json`, JSON.stringify(JSON.parse(loadSagaDefinition({ maxAttempts: 2 })), null, 1) + '\n');
  const names: Record<string, string> = { success: 'saga-succeeded', declined: 'saga-declined', compensated: 'saga-compensated', retried: 'saga-retried', stuck: 'saga-redriven' };
  for (const [name, sc] of Object.entries(SCENARIOS)) {
    const orderId = `ord-${name}`;
    const arn = await sb.placeOrder(orderId, sc);
    await sb.waitFor(orderId);
    if (name === 'stuck') {
      await save('saga-stuck', arn);
      sb.lambda.scenario(orderId, {});
      await client.send(new RedriveExecutionCommand({ executionArn: arn }));
      await sb.waitFor(orderId, ['SUCCEEDED']);
    }
    await save(names[name]!, arn);
  }
  // Nested states: a Parallel with two branches and a Map over three items (Pass states only).
  const nested = {
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
        ItemProcessor: { StartAt: 'Double', States: { Double: { Type: 'Pass', Next: 'Check' }, Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 2, Next: 'Big' }], Default: 'Small' }, Big: { Type: 'Succeed' }, Small: { Type: 'Pass', End: true } } },
        ResultPath: '$.mapped',
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  };
  writeFileSync(`${dir}/nested-definition.json`, JSON.stringify(nested, null, 1) + '\n');
  const m = await client.send(new CreateStateMachineCommand({ name: 'nested', definition: JSON.stringify(nested), roleArn: 'arn:aws:iam::123456789012:role/x' }));
  const e = await client.send(new StartExecutionCommand({ stateMachineArn: m.stateMachineArn, name: 'nested-1', input: '{}' }));
  for (let i = 0; i < 100; i++) { const d = await client.send(new DescribeExecutionCommand({ executionArn: e.executionArn })); if (d.status !== 'RUNNING') break; await new Promise(r => setTimeout(r, 50)); }
  await save('nested-succeeded', e.executionArn!);
  client.destroy();
  await sb.close();
})();
