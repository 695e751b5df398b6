/**
 * `npm start`: the whole order platform on this machine, with no AWS account, Docker or network.
 * Prints each component as it comes up, then a ready banner; Ctrl-C or SIGTERM stops everything.
 * Options: --verbose (component logs on the console), --fresh (forget the data in .local/).
 */
import { resolveConfig } from './config';
import type { StackEndpoints } from './endpoints';
import { StackStartError } from './errors';
import { colors, createLogger } from './log';
import { watchAncestors } from './process/ancestor-watch';
import { LocalStack } from './stack';

const MIN_NODE_MAJOR = 22;

function banner(endpoints: StackEndpoints, startedAt: number): string {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const rows: Array<[string, string]> = [
    ['order API', endpoints.orderApi],
    ['inventory API', endpoints.inventoryApi],
    ['payment API', endpoints.paymentApi],
    ['notification API', endpoints.notificationApi],
    ['Step Functions', endpoints.stepFunctions],
    ['SNS / SQS', endpoints.sns],
    ['DynamoDB', endpoints.dynamodb],
    ['Lambda (per service)', Object.entries(endpoints.lambda).map(([s, url]) => `${s} ${url.replace(/^http:\/\/[^:]+:/, ':')}`).join('  ')],
    ['admin', `${endpoints.admin}/health`],
    ['saga inspector', endpoints.inspector],
  ];
  return [
    '',
    colors.bold(colors.green(`  Local stack ready in ${seconds} s`)) + colors.dim(`  (region ${endpoints.region}, account ${endpoints.accountId})`),
    ...rows.map(([name, url]) => `    ${name.padEnd(22)} ${colors.cyan(url)}`),
    '',
    colors.dim('    endpoints: .local/endpoints.json   logs: .local/logs/   try: npm run demo   stop: Ctrl-C'),
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  const startedAt = Date.now();
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    console.error(colors.red(`  ✗ Node ${MIN_NODE_MAJOR}+ is needed (this is ${process.version}); run it through npm (npm start), which uses the project's Node 22.`));
    return 1;
  }
  const config = resolveConfig(process.argv.slice(2));
  const logger = createLogger(config.verbose ? 'debug' : 'info');
  console.log(colors.bold('  Starting the local stack') + colors.dim(`  (data in ${config.dataDir}, ports from ${config.ports.services.order.http - 1})`));
  const stack = new LocalStack(config, logger);

  let signals = 0;
  let resolveStopped: (code: number) => void = () => undefined;
  const stopped = new Promise<number>((resolve) => (resolveStopped = resolve));
  const shutdown = (reason: string, code: number) => {
    signals += 1;
    if (signals > 1) {
      logger.warn('stopping now');
      stack.killNow();
      process.exit(code || 130);
    }
    console.log(colors.dim(`\n  ${reason}: stopping…`));
    stack.stop().then(
      () => {
        console.log(colors.dim('  stopped; nothing left running'));
        resolveStopped(code);
      },
      (error: Error) => {
        console.error(colors.red(`  ✗ stopping failed: ${error.message}`));
        resolveStopped(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('Ctrl-C', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('SIGHUP', () => shutdown('SIGHUP', 0));
  process.on('exit', () => stack.killNow());
  watchAncestors((pid) => shutdown(`the process that started the stack (pid ${pid}) exited`, 0));
  // A component that dies is restarted by the stack; this is called when it keeps dying.
  stack.onComponentExit = (name, detail) => {
    logger.error(`${name} keeps dying: ${detail}`);
    shutdown(`${name} keeps dying (see its log in .local/logs/)`, 1);
  };

  try {
    const endpoints = await stack.start();
    if (signals > 0) return stopped;
    console.log(banner(endpoints, startedAt));
  } catch (error) {
    if (signals > 0) return stopped;
    if (error instanceof StackStartError) {
      logger.error(error.message);
      if (error.hint) console.error(`    ${error.hint}`);
    } else {
      logger.error(`the stack could not start: ${(error as Error).stack ?? String(error)}`);
    }
    console.error(colors.dim('  nothing was left running'));
    return 1;
  }
  return stopped;
}

// fauxqs imports node:sqlite, which Node 22 flags as experimental on every start; nothing here uses it.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'ExperimentalWarning' && /SQLite/i.test(warning.message)) return;
  console.warn(`${warning.name}: ${warning.message}`);
});

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
