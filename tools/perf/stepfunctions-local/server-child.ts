import { startServer } from '@order-platform/stepfunctions-local';
import { benchInvoker } from './definition';

/**
 * The server under test, in its own process so its memory is measured alone and the load
 * generator does not share its event loop. Answers `memory` (after GC) and `close` over IPC.
 */
type Message = { type: 'memory' } | { type: 'close' };

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as { retainExecutions?: number; dataDir?: string };
  const server = await startServer({ port: 0, invoker: benchInvoker, log: () => undefined, ...options });
  const send = (message: object) => process.send?.(message);
  process.on('message', (message: Message) => {
    if (message.type === 'memory') {
      const gc = (globalThis as { gc?: () => void }).gc;
      for (let i = 0; i < 3; i += 1) gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      send({ type: 'memory', rss, heapUsed, gc: gc !== undefined });
    } else if (message.type === 'close') {
      void server.close().then(() => process.exit(0));
    }
  });
  send({ type: 'ready', url: server.url });
}

void main();
