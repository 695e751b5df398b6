import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { mintToken } from '../../devauth/src';
import { resolveConfig, type ServiceName } from '../../local-stack/src/config';
import { startOffline, type RunningOffline } from '../../local-stack/src/components/offline';
import type { StackEndpoints } from '../../local-stack/src/endpoints';
import { machineInfo, type MachineInfo } from './cold-start';
import { node22, REPO_ROOT } from './paths';
import { LOGS_DIR, useOrStartStack, type StackHandle } from './stack';
import { median, ratio, round } from './stats';

/**
 * The hot path on the local stack: POST /orders and GET /orders/{id} under concurrent load
 * (autocannon), each beside a hello-world function served by the same serverless-offline, in
 * alternating rounds, so that the ratio is the project's own cost above the framework's.
 */

export type Target = 'hello GET' | 'GET /orders/{id}' | 'hello POST' | 'POST /orders';
const TARGETS: Target[] = ['hello GET', 'GET /orders/{id}', 'hello POST', 'POST /orders'];

export interface RunStats {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface TargetResult {
  target: Target;
  rounds: RunStats[];
  /** Medians over rounds. */
  p50: number;
  p99: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
}

export interface HotPathResults {
  kind: 'hot-path';
  generatedAt: string;
  command: string;
  machine: MachineInfo;
  settings: { connections: number; durationSeconds: number; rounds: number; offlineMode: string; stackOwned: boolean; auth: string };
  targets: TargetResult[];
  ratios: {
    getVsHello: { p50: number | null; p99: number | null; throughput: number | null };
    postVsHello: { p50: number | null; p99: number | null; throughput: number | null };
  };
  notes: string[];
}

export interface HotPathOptions {
  connections: number;
  durationSeconds: number;
  rounds: number;
  helloPort: number;
  log: (line: string) => void;
}

async function freePort(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the services' logs stop growing (the sagas a POST run started have finished). */
async function waitForQuiet(log: (line: string) => void, quietMs = 3000, maxMs = 180_000): Promise<void> {
  const files = ['order', 'inventory', 'payment', 'notification'].map((s) => path.join(LOGS_DIR, `${s}.log`));
  const size = () => files.reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);
  const started = Date.now();
  let last = size();
  let since = Date.now();
  while (Date.now() - started < maxMs) {
    await sleep(500);
    const now = size();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      log(`    background work settled in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      return;
    }
  }
  log(`    background work still running after ${maxMs / 1000} s; going on`);
}

function statsOf(result: autocannon.Result): RunStats {
  return {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    mean: round(result.latency.average, 2),
    requestsPerSecond: round(result.requests.average, 1),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** The hello-world service on the stack's serverless-offline settings: the floor the order API is compared with. */
async function startHello(options: HotPathOptions, config: ReturnType<typeof resolveConfig>, endpoints: StackEndpoints): Promise<RunningOffline> {
  const host = '127.0.0.1';
  if (!(await freePort(options.helloPort, host)) || !(await freePort(options.helloPort + 100, host))) {
    throw new Error(`ports ${options.helloPort}/${options.helloPort + 100} for the hello-world service are taken: pass --hello-port`);
  }
  options.log(`Starting the hello-world service with the stack's serverless-offline settings (${config.offlineMode})…`);
  return startOffline({
    service: 'bench-hello' as ServiceName,
    dir: path.join(REPO_ROOT, 'tools', 'perf', 'hello'),
    stage: config.stage,
    region: config.region,
    host,
    ports: { http: options.helloPort, lambda: options.helloPort + 100 },
    mode: config.offlineMode,
    endpoints: { dynamodb: endpoints.dynamodb, sns: endpoints.sns, sqs: endpoints.sqs, stepFunctions: endpoints.stepFunctions, lambda: endpoints.admin },
    dataDir: config.dataDir,
    hasHttp: true,
    logFile: path.join(LOGS_DIR, 'bench-hello.log'),
  });
}

interface Seeded {
  customerAuth: string;
  orderBody: string;
  /** Orders to read with GET /orders/{id}. */
  orderIds: string[];
}

/** Stock and 20 orders to read; tokens are sent whether or not the routes check them (they do on the local stage: AUTH_MODE local-jwks). */
async function seed(endpoints: StackEndpoints): Promise<Seeded> {
  const customerId = `bench-${randomUUID().slice(0, 8)}`;
  const customerAuth = `Bearer ${await mintToken({ customerId, expiresIn: '2h' })}`;
  const adminAuth = `Bearer ${await mintToken({ customerId: 'bench-admin', admin: true, expiresIn: '2h' })}`;
  const sku = 'BENCH-HOT-PATH';
  const seeded = await fetch(`${endpoints.inventoryApi}/inventory/${sku}`, {
    method: 'PUT',
    headers: { authorization: adminAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ price: 100, currency: 'EUR', available: 1_000_000 }),
  });
  if (!seeded.ok) throw new Error(`seeding stock answered ${seeded.status}: ${await seeded.text()}`);
  const orderBody = JSON.stringify({ customerId, email: `${customerId}@example.com`, items: [{ sku, quantity: 1 }], paymentToken: 'tok_visa' });
  const orderIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    const response = await fetch(`${endpoints.orderApi}/orders`, {
      method: 'POST',
      headers: { authorization: customerAuth, 'content-type': 'application/json' },
      body: orderBody,
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${text.slice(0, 300)}`);
    orderIds.push((JSON.parse(text) as { orderId: string }).orderId);
  }
  return { customerAuth, orderBody, orderIds };
}

type LoadRun = (target: Target, seconds: number) => Promise<autocannon.Result>;

/** One autocannon run against a target. */
function loadRunner(options: HotPathOptions, endpoints: StackEndpoints, helloUrl: string, seeded: Seeded): LoadRun {
  const { customerAuth, orderBody, orderIds } = seeded;
  return async (target, seconds) => {
    const common = { connections: options.connections, duration: seconds, timeout: 30 };
    switch (target) {
      case 'hello GET':
        return autocannon({ ...common, url: `${helloUrl}/hello`, headers: { authorization: customerAuth } });
      case 'hello POST':
        return autocannon({ ...common, url: `${helloUrl}/hello`, method: 'POST', headers: { authorization: customerAuth, 'content-type': 'application/json' }, body: orderBody });
      case 'GET /orders/{id}': {
        let next = 0;
        return autocannon({
          ...common,
          url: endpoints.orderApi,
          headers: { authorization: customerAuth },
          requests: [{ method: 'GET', setupRequest: (request: autocannon.Request) => ({ ...request, path: `/orders/${orderIds[next++ % orderIds.length]}` }) }],
        });
      }
      case 'POST /orders':
        return autocannon({ ...common, url: `${endpoints.orderApi}/orders`, method: 'POST', headers: { authorization: customerAuth, 'content-type': 'application/json' }, body: orderBody });
    }
  };
}

/** A warm-up, then the measured rounds, each target in rotating order. */
async function measureRounds(run: LoadRun, options: HotPathOptions): Promise<Map<Target, RunStats[]>> {
  const { log } = options;
  log(`Warming up (2 s each)…`);
  for (const target of TARGETS) await run(target, 2);
  await waitForQuiet(log);
  const perTarget = new Map<Target, RunStats[]>(TARGETS.map((t) => [t, []]));
  for (let r = 0; r < options.rounds; r++) {
    // POST /orders last in every round: the sagas it starts must not overlap the other runs.
    const order: Target[] = r % 2 === 0 ? ['hello GET', 'GET /orders/{id}', 'hello POST', 'POST /orders'] : ['GET /orders/{id}', 'hello GET', 'hello POST', 'POST /orders'];
    for (const target of order) {
      const stats = statsOf(await run(target, options.durationSeconds));
      perTarget.get(target)!.push(stats);
      log(`  round ${r + 1}/${options.rounds} ${target.padEnd(17)} p50 ${stats.p50} ms  p99 ${stats.p99} ms  ${stats.requestsPerSecond} req/s${stats.non2xx ? `  non-2xx ${stats.non2xx}` : ''}${stats.errors ? `  errors ${stats.errors}` : ''}`);
    }
    await waitForQuiet(log);
  }
  return perTarget;
}

function targetResults(perTarget: Map<Target, RunStats[]>): TargetResult[] {
  return TARGETS.map((target) => {
    const rounds = perTarget.get(target)!;
    return {
      target,
      rounds,
      p50: median(rounds.map((s) => s.p50)),
      p99: median(rounds.map((s) => s.p99)),
      requestsPerSecond: round(median(rounds.map((s) => s.requestsPerSecond)), 1),
      non2xx: rounds.reduce((sum, s) => sum + s.non2xx, 0),
      errors: rounds.reduce((sum, s) => sum + s.errors + s.timeouts, 0),
    };
  });
}

/** The order API against the hello-world floor. */
function ratiosOf(targets: TargetResult[]): HotPathResults['ratios'] {
  const get = (t: Target) => targets.find((x) => x.target === t)!;
  return {
    getVsHello: {
      p50: ratio(get('GET /orders/{id}').p50, get('hello GET').p50),
      p99: ratio(get('GET /orders/{id}').p99, get('hello GET').p99),
      throughput: ratio(get('GET /orders/{id}').requestsPerSecond, get('hello GET').requestsPerSecond),
    },
    postVsHello: {
      p50: ratio(get('POST /orders').p50, get('hello POST').p50),
      p99: ratio(get('POST /orders').p99, get('hello POST').p99),
      throughput: ratio(get('POST /orders').requestsPerSecond, get('hello POST').requestsPerSecond),
    },
  };
}

/** With `shared`, uses that stack and leaves it running; else uses or starts one and stops what it started. */
export async function runHotPath(options: HotPathOptions, shared?: StackHandle): Promise<HotPathResults> {
  const { log } = options;
  const nodeVersion = (await import('node:child_process')).execFileSync(node22(), ['--version'], { encoding: 'utf8' }).trim();
  const machine = machineInfo(nodeVersion);
  const config = resolveConfig([]);
  const stack = shared ?? (await useOrStartStack(log));
  let hello: RunningOffline | undefined;
  const notes: string[] = [];
  try {
    const endpoints: StackEndpoints = stack.endpoints;
    hello = await startHello(options, config, endpoints);
    const seeded = await seed(endpoints);
    log(`Seeded BENCH-HOT-PATH and ${seeded.orderIds.length} orders to read; waiting for their sagas…`);
    await waitForQuiet(log);

    const perTarget = await measureRounds(loadRunner(options, endpoints, hello.httpUrl, seeded), options);
    const targets = targetResults(perTarget);
    for (const t of targets) if (t.non2xx > 0 || t.errors > 0) notes.push(`${t.target}: ${t.non2xx} non-2xx answers and ${t.errors} errors over the measured rounds`);
    notes.push('POST /orders starts a saga per order: its runs also carry the saga, stream and notification work of the orders placed during the run (all on the same 2 cores).');
    return {
      kind: 'hot-path',
      generatedAt: new Date().toISOString(),
      command: `npm run bench:hot -- --connections ${options.connections} --duration ${options.durationSeconds} --rounds ${options.rounds}`,
      machine,
      settings: {
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        rounds: options.rounds,
        offlineMode: config.offlineMode,
        stackOwned: stack.owned,
        auth: 'Authorization: Bearer <development token> on every request (verified by the functions on the local stage)',
      },
      targets,
      ratios: ratiosOf(targets),
      notes,
    };
  } finally {
    if (hello) await hello.stop();
    if (!shared) await stack.stop();
  }
}
