/**
 * fauxqs as a process of its own (the stack's child, like DynamoDB Local), so that it can die
 * alone and be restarted without taking the stack down: `node --import tsx fauxqs-server.ts
 * '<FauxqsOptions as JSON>'`. It prints one line when it listens and stops on SIGTERM.
 */
import { startFauxqs, type FauxqsOptions } from './fauxqs';

// fauxqs imports node:sqlite, which Node 22 flags as experimental on every start.
process.removeAllListeners('warning');

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as FauxqsOptions;
  const server = await startFauxqs(options);
  console.log(`fauxqs listening on ${server.endpoint} (pid ${process.pid})`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: Error) => {
  console.error(`fauxqs could not start: ${error.message}`);
  process.exit(1);
});
