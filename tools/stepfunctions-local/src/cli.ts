import { parseArgs } from 'node:util';
import { DEFAULT_ACCOUNT, DEFAULT_LAMBDA_ENDPOINT, DEFAULT_PORT, startServer } from './server';

const USAGE = `Usage: stepfunctions-local [options]

  --port <n>                 port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --host <addr>              address to bind (default 127.0.0.1)
  --data <dir>               persistence folder (default .local/stepfunctions)
  --in-memory                keep nothing on disk
  --lambda-endpoint <url>    Lambda Invoke endpoint for all functions
                             (default $AWS_ENDPOINT_URL_LAMBDA, else ${DEFAULT_LAMBDA_ENDPOINT})
  --lambda-endpoint <prefix>=<url>
                             endpoint for functions whose name starts with <prefix> (repeatable)
  --region <region>          region in ARNs (default $AWS_REGION or eu-west-1)
  --account <id>             account in ARNs (default ${DEFAULT_ACCOUNT})
  --retain <n>               closed executions kept per state machine (default 10000)
  --resume                   redrive executions interrupted by the last shutdown (default: leave them ABORTED)
  --help`;

function parse() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'in-memory': { type: 'boolean' },
      'lambda-endpoint': { type: 'string', multiple: true },
      region: { type: 'string' },
      account: { type: 'string' },
      retain: { type: 'string' },
      resume: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  // "<prefix>=<url>" routes a name prefix; a bare URL is the default endpoint.
  let lambdaEndpoint: string | undefined;
  const lambdaEndpoints: Record<string, string> = {};
  for (const value of values['lambda-endpoint'] ?? []) {
    const at = value.indexOf('=');
    if (at > 0 && !value.slice(0, at).includes('://')) lambdaEndpoints[value.slice(0, at)] = value.slice(at + 1);
    else lambdaEndpoint = value;
  }
  const integer = (value: string | undefined, name: string): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${value}`);
    return n;
  };
  return {
    port: integer(values.port, 'port') ?? DEFAULT_PORT,
    host: values.host,
    dataDir: values['in-memory'] ? undefined : (values.data ?? '.local/stepfunctions'),
    lambdaEndpoint,
    lambdaEndpoints,
    region: values.region,
    accountId: values.account,
    retainExecutions: integer(values.retain, 'retain'),
    resumeOnRestart: values.resume ?? false,
  };
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const server = await startServer(options);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`stepfunctions-local failed to start: ${(error as Error).message}`);
  process.exit(1);
});
