import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ComponentStartError } from '../errors';
import { ManagedProcess } from '../process/managed-process';
import { assertPortFree, isListening } from '../process/ports';
import { waitUntil } from '../process/wait';
import {
  FAUXQS_ACCOUNT,
  snsResponseToOuterAccount,
  sqsResponseToOuterAccount,
  toInnerAccount,
  type AccountPair,
} from './fauxqs-account';

export interface FauxqsOptions {
  port: number;
  host: string;
  region: string;
  /** The account clients see in ARNs and queue URLs. */
  accountId: string;
  /** Keep queues, messages, topics and subscriptions here (SQLite) across restarts; in memory when absent. */
  dataDir?: string;
}

export interface RunningFauxqs {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * fauxqs (SNS + SQS) in this process. Its `startFauxqs()` binds 0.0.0.0 and hides its Fastify app,
 * so the app is built with `buildApp()` and listens on the loopback address only.
 *
 * With a data directory, state is kept the way `startFauxqs({ dataDir })` keeps it (fauxqs's
 * SQLite persistence, node:sqlite, written through on every change): messages still queued or in
 * flight when the stack stops are delivered after it starts again, as SQS would. Its persistence
 * module is not in fauxqs's package exports, so it is loaded from the installed files (fauxqs is
 * pinned in package.json; the stack's unit tests exercise this path).
 */
export async function startFauxqs(options: FauxqsOptions): Promise<RunningFauxqs> {
  if (options.port !== 0) await assertPortFree(options.port, options.host, 'fauxqs (SNS/SQS)', 'fauxqs');
  // fauxqs is ESM-only (its package exports an "import" condition alone): load it dynamically.
  const { buildApp } = await import('fauxqs');
  const persisted = options.dataDir ? await persistentStores(options.dataDir) : undefined;
  const app = buildApp({ logger: false, defaultRegion: options.region, ...(persisted ? { stores: persisted.stores } : {}) });
  if (persisted) (app as unknown as ClosableApp).addHook('preClose', () => persisted.close());
  translateAccount(app as unknown as HookableApp, { outer: options.accountId, inner: FAUXQS_ACCOUNT });
  let address: string;
  try {
    address = await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw new ComponentStartError('fauxqs', (error as Error).message);
  }
  const port = Number(new URL(address).port);
  return {
    endpoint: `http://${options.host}:${port}`,
    port,
    stop: async () => {
      await app.close();
    },
  };
}

interface ClosableApp {
  addHook(name: 'preClose', hook: () => void): unknown;
}

/** fauxqs's installed dist/ folder (its package exports hide everything but the entry point). */
function fauxqsDist(): string {
  for (const dir of require.resolve.paths('fauxqs') ?? []) {
    const candidate = path.join(dir, 'fauxqs', 'dist');
    if (existsSync(path.join(candidate, 'persistence.js'))) return candidate;
  }
  throw new ComponentStartError('fauxqs', 'cannot find fauxqs/dist/persistence.js in node_modules (run npm ci)');
}

/** What `startFauxqs({ dataDir })` does before it builds the app: stores loaded from SQLite, then written through. */
async function persistentStores(dataDir: string) {
  const dist = fauxqsDist();
  const load = async (file: string) => import(pathToFileURL(path.join(dist, file)).href);
  const [{ SqsStore }, { SnsStore }, { S3Store }, { PersistenceManager }] = await Promise.all([
    load('sqs/sqsStore.js'),
    load('sns/snsStore.js'),
    load('s3/s3Store.js'),
    load('persistence.js'),
  ]);
  const stores = { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
  const persistence = new PersistenceManager(dataDir);
  // Load first, then attach: attaching before would write every loaded row back.
  persistence.load(stores.sqsStore, stores.snsStore, stores.s3Store);
  stores.sqsStore.persistence = persistence;
  stores.snsStore.persistence = persistence;
  stores.s3Store.persistence = persistence;
  for (const queue of stores.sqsStore.allQueues()) queue.persistence = persistence;
  return { stores, close: () => persistence.close() };
}

/** The two Fastify hooks used here, typed structurally (fastify is fauxqs's dependency, not ours). */
interface HookableApp {
  addHook(name: 'preHandler', hook: (request: { body: unknown }) => Promise<void>): unknown;
  addHook(name: 'onSend', hook: (request: unknown, reply: { getHeader(name: string): unknown }, payload: unknown) => Promise<unknown>): unknown;
}

function translateAccount(app: HookableApp, accounts: AccountPair): void {
  if (accounts.outer === accounts.inner) return;
  app.addHook('preHandler', async (request) => {
    if (request.body && typeof request.body === 'object') request.body = toInnerAccount(request.body, accounts);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string') return payload;
    const contentType = String(reply.getHeader('content-type') ?? '');
    if (contentType.includes('x-amz-json')) return sqsResponseToOuterAccount(payload, accounts);
    if (contentType.includes('xml')) return snsResponseToOuterAccount(payload, accounts);
    return payload;
  });
}

export interface FauxqsProcessOptions extends FauxqsOptions {
  logFile: string;
  echo?: (line: string) => void;
  /** Told about the child as soon as it is spawned (so that a crash of this process can be cleaned up after). */
  onSpawn?: (child: ManagedProcess) => void;
  startTimeoutMs?: number;
}

export interface RunningFauxqsProcess extends RunningFauxqs {
  process: ManagedProcess;
}

/** Part of the fauxqs child's command line, to recognise it by its pid. */
export const FAUXQS_PROCESS_MARKER = 'fauxqs-server';

/**
 * fauxqs in a child process (fauxqs-server.ts): the stack supervises it like DynamoDB Local, and
 * its SQLite data (written through on every change) survives a kill.
 */
export async function startFauxqsProcess(options: FauxqsProcessOptions): Promise<RunningFauxqsProcess> {
  await assertPortFree(options.port, options.host, 'fauxqs (SNS/SQS)', 'fauxqs');
  const { logFile, echo, onSpawn, startTimeoutMs, ...serverOptions } = options;
  const child = ManagedProcess.start({
    name: 'fauxqs',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(__dirname, `${FAUXQS_PROCESS_MARKER}.ts`), JSON.stringify(serverOptions)],
    cwd: path.resolve(__dirname, '..', '..', '..', '..'),
    logFile,
    echo,
  });
  onSpawn?.(child);
  try {
    await waitUntil(() => isListening(options.port, options.host), {
      timeoutMs: startTimeoutMs ?? 30_000,
      intervalMs: 50,
      description: `fauxqs on port ${options.port}`,
      failFast: () => (child.running ? undefined : new ComponentStartError('fauxqs', `the process exited: ${child.recentOutput(8)}`, logFile)),
    });
  } catch (error) {
    await child.stop();
    throw error instanceof ComponentStartError ? error : new ComponentStartError('fauxqs', (error as Error).message, logFile);
  }
  return { endpoint: `http://${options.host}:${options.port}`, port: options.port, process: child, stop: async () => void (await child.stop()) };
}
