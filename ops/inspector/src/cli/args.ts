import { parseArgs } from 'node:util';

/** The command line: one command, its positionals, and options (global ones valid everywhere). */
type OptionSpec = { type: 'string' | 'boolean'; short?: string };

const GLOBAL_OPTIONS = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  'state-machine': { type: 'string' },
  stage: { type: 'string' },
  'order-api': { type: 'string' },
  aws: { type: 'boolean' },
  'endpoints-file': { type: 'string' },
  compensation: { type: 'string' },
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies Record<string, OptionSpec>;

interface CommandSpec {
  usage: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** Positional arguments: exact count required, or a range. */
  positionals: [min: number, max: number];
}

export const COMMANDS: Record<string, CommandSpec> = {
  list: {
    usage: 'list [--status S] [--since 24h] [--order ID] [--customer ID] [--limit 20] [--cursor C]',
    summary: 'executions, newest first',
    options: {
      status: { type: 'string' },
      since: { type: 'string' },
      order: { type: 'string' },
      customer: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
    },
    positionals: [0, 0],
  },
  show: {
    usage: 'show <orderId|executionArn> [--full] [--events] [--no-order] [--from-file FILE [--definition FILE]]',
    summary: 'summary, order record and timeline of one execution (--from-file: an exported history, e.g. Express logs)',
    options: {
      full: { type: 'boolean' },
      events: { type: 'boolean' },
      'no-order': { type: 'boolean' },
      'from-file': { type: 'string' },
      definition: { type: 'string' },
    },
    positionals: [0, 1],
  },
  history: {
    usage: 'history <orderId|executionArn> [--json [--no-mask]]',
    summary: 'the execution history events (--json: the export a replay reads; e-mail and payment token masked)',
    options: { 'no-mask': { type: 'boolean' } },
    positionals: [1, 1],
  },
  replay: {
    usage:
      'replay <orderId|executionArn|export.json> [--definition today|original] [--no-seed] [--force] [--expect SUCCEEDED|FAILED|<state>] [--timeout 300] [--no-wait]',
    summary: 'run an execution again on the local stack (today\'s code) and compare the two runs state by state',
    options: {
      definition: { type: 'string' },
      'no-seed': { type: 'boolean' },
      force: { type: 'boolean' },
      expect: { type: 'string' },
      timeout: { type: 'string' },
      'no-wait': { type: 'boolean' },
    },
    positionals: [1, 1],
  },
  graph: {
    usage: 'graph [<orderId|executionArn>] [--dot | --svg FILE]',
    summary: 'the state machine, with the path an execution took',
    options: { dot: { type: 'boolean' }, svg: { type: 'string' } },
    positionals: [0, 1],
  },
  stop: {
    usage: 'stop <orderId|executionArn> [--error E] [--cause C]',
    summary: 'stop a RUNNING execution',
    options: { error: { type: 'string' }, cause: { type: 'string' } },
    positionals: [1, 1],
  },
  redrive: {
    usage: 'redrive <orderId|executionArn> [--wait]',
    summary: 'restart a failed execution from where it failed',
    options: { wait: { type: 'boolean' } },
    positionals: [1, 1],
  },
  stats: {
    usage: 'stats [--since 24h] [--until ISO] [--max 5000]',
    summary: 'counts by status and failure reason, p50/p99 duration',
    options: { since: { type: 'string' }, until: { type: 'string' }, max: { type: 'string' } },
    positionals: [0, 0],
  },
  web: {
    usage: 'web [--port 8090]',
    summary: 'serve the inspector web page on 127.0.0.1',
    options: { port: { type: 'string' } },
    positionals: [0, 0],
  },
};

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CommandLine {
  command: string;
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [command = 'help', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') return { command: 'help', positionals: rest, values: {} };
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`unknown command "${command}"`);
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: { ...GLOBAL_OPTIONS, ...spec.options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [min, max] = spec.positionals;
  if (!parsed.values['help'] && (parsed.positionals.length < min || parsed.positionals.length > max)) {
    throw new UsageError(`usage: npm run saga -- ${spec.usage}`);
  }
  return { command, positionals: parsed.positionals, values: parsed.values };
}

export function helpText(command?: string): string {
  const spec = command ? COMMANDS[command] : undefined;
  if (spec) return `npm run saga -- ${spec.usage}\n\n${spec.summary}\n\n${GLOBAL_HELP}`;
  const commands = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)}${c.summary}`);
  return [
    'Saga inspector: the order saga\'s Step Functions executions, locally or on AWS.',
    '',
    'usage: npm run saga -- <command> [options]',
    '',
    ...commands,
    '',
    GLOBAL_HELP,
  ].join('\n');
}

const GLOBAL_HELP = `Where to look (defaults: .local/endpoints.json from npm start, else AWS):
  --endpoint URL          Step Functions endpoint (env SFN_ENDPOINT)
  --aws                   ignore .local/endpoints.json; use AWS with the default credential chain
  --region R              (env AWS_REGION)
  --stage S               state machine order-<stage>-saga (default local; env SAGA_STAGE)
  --state-machine NAME    name or ARN instead (env SAGA_STATE_MACHINE)
  --order-api URL         order API for the order record (env ORDER_API_URL)
                          (env ORDER_API_TOKEN: its bearer token; the local stack's is minted)
  --compensation GLOBS    compensation states, default "Release*,Refund*,MarkOrderFailed"
Output:
  --json                  machine-readable output
  --no-color              no colours (also NO_COLOR=1; colours only on a terminal)`;
