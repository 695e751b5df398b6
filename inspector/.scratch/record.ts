import { writeFileSync } from 'node:fs';
import { SFNClient, GetExecutionHistoryCommand, DescribeExecutionCommand, RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { startSandbox, SCENARIOS } from '/work/main/inspector/test/helpers/sandbox';
(async () => {
  const sb = await startSandbox();
  const client = new SFNClient({ region: 'eu-west-1', endpoint: sb.sfnUrl, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  for (const [name, sc] of Object.entries(SCENARIOS)) {
    const arn = await sb.placeOrder(`ord-${name}`, sc);
    const status = await sb.waitFor(`ord-${name}`);
    if (name === 'stuck') {
      sb.lambda.scenario('ord-stuck', {});
      await client.send(new RedriveExecutionCommand({ executionArn: arn }));
      console.log('redrive', await sb.waitFor('ord-stuck'));
    }
    const h = await client.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000 }));
    const d = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    console.log(name, status, d.error, h.events?.length);
    writeFileSync(`/tmp/insp/${name}.json`, JSON.stringify({ describe: d, events: h.events }, null, 1));
  }
  console.log(JSON.stringify(sb.orders.get('ord-declined')));
  await sb.close();
})();
