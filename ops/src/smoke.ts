/**
 * `npm run smoke -- --stage <stage>`: drives the real paths of a stage through its public APIs
 * (stock, a confirmed, a declined and an out-of-stock order, an Idempotency-Key replay, the
 * notification, the saga in the inspector's listing), one pass/fail line per check, exit code 1
 * if any fails. See ops/README.md.
 */
import { randomBytes } from 'node:crypto';
import { PlatformClient } from './client/platform-client';
import { SagaInspector } from '../inspector/src/app/inspector';
import { createSfnClient, StepFunctionsGateway } from '../inspector/src/adapters/step-functions';
import { CHECK_NAMES, runSmoke, type CheckResult } from './smoke/checks';
import { connect, type AwsClients, type Connection } from './smoke/connect';
import { runFromCommandLine, parseCommandArgs, type CliIo } from './command-args';
import { resolveTarget, TargetError, type Target } from './target';

const USAGE = `usage: npm run smoke -- --stage <stage> [options]

  --stage <stage>       local (the stack of npm start, .local/endpoints.json) or an AWS stage:
                        endpoints from its CloudFormation outputs, a token from its user pool
                        (client credentials), the default credential chain
  --region <region>     AWS region (default AWS_REGION, else eu-west-1)
  --timeout <seconds>   how long an order may take to finish and its notification to arrive (default 60)
  --json                the results as JSON on stdout

checks: ${CHECK_NAMES.join(', ')}`;

export interface SmokeIo extends CliIo {
  /** Tests hand in mocked AWS clients. */
  aws?: (target: Target) => AwsClients;
}

const MARK: Record<CheckResult['outcome'], string> = { pass: '✓ PASS', fail: '✗ FAIL', skip: '✗ SKIP' };
const WIDTH = Math.max(...CHECK_NAMES.map((name) => name.length));
const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

export function formatResult(result: CheckResult): string {
  return `${MARK[result.outcome]}  ${result.name.padEnd(WIDTH)}  ${result.detail}${result.outcome === 'skip' ? '' : `  (${seconds(result.ms)})`}`;
}

export async function runSmokeCommand(argv: string[], io: SmokeIo): Promise<number> {
  const parsed = parseCommandArgs(
    {
      args: argv,
      options: {
        stage: { type: 'string' },
        region: { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (!values.stage) {
    io.stderr(`--stage is required (local, dev, prod, ...)\n\n${USAGE}`);
    return 2;
  }
  const timeoutS = values.timeout === undefined ? 60 : Number(values.timeout);
  if (!(timeoutS > 0)) {
    io.stderr(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
    return 2;
  }
  const json = values.json === true;
  const say = (line: string) => (json ? undefined : io.stdout(line));

  const runId = randomBytes(4).toString('hex');
  let target: Target;
  let connection: Connection;
  try {
    target = resolveTarget({ stage: values.stage, region: values.region }, io.env ?? process.env);
    connection = await connect(target, runId, io.aws ? () => io.aws!(target) : undefined);
  } catch (error) {
    const message = error instanceof TargetError || (error as Error).name === 'DiscoveryError' ? (error as Error).message : String(error);
    io.stderr(`smoke: cannot reach stage ${values.stage}: ${message}`);
    return 1;
  }

  say(`smoke run ${runId} · stage ${target.stage} · ${target.source}`);
  say(`  token: ${connection.identity}`);
  say(`  order API ${connection.apis.orderApi}`);
  const sfnClient = createSfnClient(connection.sfn);
  const inspector = new SagaInspector(new StepFunctionsGateway(sfnClient, connection.sfn.endpoint), `order-${target.stage}-saga`);
  const notes: string[] = [];
  try {
    const results = await runSmoke(
      {
        client: new PlatformClient(connection.apis, connection.credentials),
        customerId: connection.customerId,
        runId,
        listExecutions: (filter) => inspector.list(filter),
      },
      {
        timeoutMs: timeoutS * 1000,
        report: (result) => say(formatResult(result)),
        note: (line) => {
          notes.push(line);
          say(line);
        },
      },
    );
    const failed = results.filter((result) => result.outcome !== 'pass');
    if (json) io.stdout(JSON.stringify({ runId, stage: target.stage, customerId: connection.customerId, passed: failed.length === 0, results, notes }, null, 2));
    if (failed.length === 0) {
      say(`smoke passed: ${results.length} of ${results.length} checks on stage ${target.stage}`);
      return 0;
    }
    io.stderr(`SMOKE FAILED on stage ${target.stage}: ${failed.length} of ${results.length} checks did not pass (${failed.map((r) => r.name).join(', ')})`);
    return 1;
  } finally {
    sfnClient.destroy();
  }
}

if (require.main === module) runFromCommandLine(runSmokeCommand);
