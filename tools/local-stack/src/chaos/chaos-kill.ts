/**
 * `npm run chaos:kill`: while a burst of orders runs against the stack of `npm start`, SIGKILL its
 * child processes (each service's serverless offline, DynamoDB Local, fauxqs) at random moments,
 * and measure how long each takes to come back (the stack's supervisor restarts them). Then wait
 * for every order to finish and check the platform's invariants (`npm run check:invariants`).
 * Step Functions, the pollers and the admin API run inside the stack's own process: killing them
 * is killing the stack (the restart tests cover that).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterQueues, findDeadLetterQueue, listStageQueues, redrive } from '../../../../ops/src/dead-letters';
import { checkInvariants, type Report, type Snapshot } from '../../../../ops/src/invariant-checks';
import { readSnapshot } from '../../../../ops/src/snapshot';
import { endpointsFilePath, resolveTarget } from '../../../../ops/src/target';
import { localClientConfig } from '../aws-clients';
import { mapLimit } from '../client/map-limit';
import { devCredentials, PlatformClient, type PlaceOrderInput } from '../client/platform-client';
import { requireEndpoints, type StackEndpoints } from '../endpoints';
import type { ComponentStatus } from '../stack';
import { sleep } from '../process/wait';
import { planKills, seededRandom } from './kill-plan';

export interface ChaosKillOptions {
  endpointsFile: string;
  orders: number;
  kills: number;
  /** POST /orders in flight at once. */
  inFlight: number;
  seed: number;
  /** The bound within which every order must be terminal after the burst. */
  settleTimeoutMs: number;
  log: (line: string) => void;
}

export const CHAOS_KILL_DEFAULTS = { orders: 300, kills: 12, inFlight: 20, seed: 20_261_206, settleTimeoutMs: 600_000 };

export interface KillRecord {
  target: string;
  pid: number;
  /** Since the burst began. */
  atMs: number;
  ordersPlaced: number;
  /** From the kill to the supervisor's restarted process being up; undefined if it never came back. */
  recoveredAfterMs?: number;
  newPid?: number;
}

export interface ChaosKillReport {
  orders: number;
  kills: KillRecord[];
  survived: number;
  outcomes: Record<string, number>;
  pending: number;
  /** From the burst's start until every order was terminal (undefined: not within the bound). */
  allTerminalAfterMs?: number;
  /** Orders without exactly one outcome notification. */
  notificationProblems: string[];
  /** Messages per dead-letter queue that arrived during the run (the end's depth less the start's), and how many were moved back. */
  deadLetters: Record<string, number>;
  redrivenFromDlq: number;
  invariants: Report;
  problems: string[];
  ok: boolean;
}

interface ComponentsAnswer {
  stackPid: number;
  components: ComponentStatus[];
  inProcess: string[];
}

async function components(endpoints: StackEndpoints): Promise<ComponentsAnswer> {
  const response = await fetch(`${endpoints.admin}/components`);
  if (!response.ok) throw new Error(`GET ${endpoints.admin}/components answered ${response.status} (is this stack older than the supervisor?)`);
  return (await response.json()) as ComponentsAnswer;
}

/** Retries `fn` (a stack component may be down for seconds) until it succeeds or `attempts` run out. */
async function persist<T>(what: string, fn: () => Promise<T>, attempts = 40): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      last = error;
      // A 4xx is an answer, not an outage (a 5xx or a refused connection is one).
      const status = (error as { status?: number }).status;
      if (status !== undefined && status < 500) throw error;
      await sleep(Math.min(3_000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }
  throw new Error(`${what} failed ${attempts} times: ${(last as Error).message}`);
}


const seconds = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

export async function runChaosKill(options: ChaosKillOptions): Promise<ChaosKillReport> {
  const { log } = options;
  const endpoints = requireEndpoints(options.endpointsFile);
  const dataDir = path.dirname(options.endpointsFile);
  const platform = new PlatformClient(endpoints, devCredentials(path.join(dataDir, 'auth')));
  const target = resolveTarget({ stage: 'local', endpointsFile: options.endpointsFile });
  const sqs = new SQSClient(localClientConfig(endpoints.sqs, endpoints.region));
  const random = seededRandom(options.seed);
  try {
    const before = await components(endpoints);
    const dlqDepths = async () => Object.fromEntries(deadLetterQueues(await listStageQueues(sqs, 'local')).map((q) => [q.name, q.visible + q.inFlight]));
    const deadLettersBefore = await dlqDepths();
    const killable = before.components.filter((c) => c.state === 'running' && c.pid !== undefined).map((c) => c.name);
    const plan = planKills({ targets: killable, kills: options.kills, random });
    log(`chaos:kill: ${options.orders} orders, ${options.inFlight} in flight, ${plan.length} SIGKILLs among ${killable.join(', ')}`);
    log(`  (in the stack's own process, pid ${before.stackPid}, not killed: ${before.inProcess.join(', ')})`);

    // The orders: a seeded mix of lines, one scarce SKU, some declined and failing payments.
    const run = `chaoskill-${Date.now().toString(36)}`;
    const skus = ['A', 'B', 'C', 'D'].map((letter) => `${run}-${letter}`);
    const scarce = `${run}-SCARCE`;
    for (const [index, sku] of skus.entries()) await persist(`PUT stock ${sku}`, () => platform.putStock(sku, { price: 400 + 300 * index, currency: 'EUR', available: 100_000 }));
    await persist(`PUT stock ${scarce}`, () => platform.putStock(scarce, { price: 9_900, currency: 'EUR', available: 10 }));
    const orders: PlaceOrderInput[] = Array.from({ length: options.orders }, (_, i) => {
      const lines = new Map<string, number>();
      for (let l = 0, count = 1 + Math.floor(random() * 2); l < count; l++) lines.set(skus[Math.floor(random() * skus.length)]!, 1 + Math.floor(random() * 3));
      if (random() < 0.1) lines.set(scarce, 1);
      const roll = random();
      const customerId = `${run}-c${i}`;
      return { customerId, email: `${customerId}@example.com`, items: [...lines].map(([sku, quantity]) => ({ sku, quantity })), paymentToken: roll < 0.85 ? 'tok_visa' : 'tok_decline' };
    });

    // The burst, and the kills at their moments in it.
    const startedAt = Date.now();
    let placed = 0;
    let burstDone = false;
    const kills: KillRecord[] = [];
    // A pid once killed is never the victim again, even before the stack has seen it die.
    const killed = new Set<number>();
    const recoveries: Array<Promise<void>> = [];
    const killer = (async () => {
      for (const planned of plan) {
        while (!burstDone && placed < planned.at * options.orders) await sleep(50);
        // One component dies at a time only if it is up: a kill during its restart would measure nothing.
        let victim: ComponentStatus | undefined;
        for (let waited = 0; waited < 60_000; waited += 200) {
          victim = (await components(endpoints)).components.find((c) => c.name === planned.target && c.state === 'running' && c.pid !== undefined && !killed.has(c.pid));
          if (victim?.pid) break;
          await sleep(200);
        }
        if (!victim?.pid) {
          log(`  ! ${planned.target} did not come back up within 60 s: kill skipped`);
          continue;
        }
        const record: KillRecord = { target: victim.name, pid: victim.pid, atMs: Date.now() - startedAt, ordersPlaced: placed };
        try {
          killed.add(victim.pid);
          process.kill(victim.pid, 'SIGKILL');
        } catch (error) {
          log(`  ! could not kill ${victim.name} (pid ${victim.pid}): ${(error as Error).message}`);
          continue;
        }
        kills.push(record);
        const killedAt = Date.now();
        log(`  ✗ kill ${kills.length}: SIGKILL ${record.target} (pid ${record.pid}) at ${seconds(record.atMs)}, ${placed}/${options.orders} orders placed`);
        recoveries.push(
          (async () => {
            for (;;) {
              const now = (await components(endpoints).catch(() => undefined))?.components.find((c) => c.name === record.target);
              if (now && now.state === 'running' && now.pid !== record.pid) {
                record.recoveredAfterMs = Date.now() - killedAt;
                record.newPid = now.pid;
                log(`  ✓ ${record.target} back (pid ${now.pid}) ${seconds(record.recoveredAfterMs)} after kill ${kills.indexOf(record) + 1}`);
                return;
              }
              if (now?.state === 'gave up' || Date.now() - killedAt > 180_000) return;
              await sleep(100);
            }
          })(),
        );
      }
    })();
    const placedOrders = await mapLimit(orders, options.inFlight, async (order, i) => {
      // A careful client: one Idempotency-Key per order, retried through 5xx and refused connections.
      const result = await persist(
        `POST /orders #${i}`,
        async () => {
          const answer = await platform.place(order, `${run}-${i}`);
          // serverless-offline answers a function that ran out of time with 200 and Lambda's error body: a lost reply.
          if (!answer.order?.orderId) throw new Error(`POST /orders answered ${answer.status} without an order`);
          return answer;
        },
        60,
      );
      placed += 1;
      return result.order.orderId;
    });
    const placedAfterMs = Date.now() - startedAt;
    burstDone = true;
    await killer;
    await Promise.all(recoveries);
    log(`  ${placedOrders.length} orders placed in ${seconds(placedAfterMs)}; waiting for every order to finish (bound ${seconds(options.settleTimeoutMs)})`);

    // Every order terminal within the bound.
    const orderIds = new Set(placedOrders);
    const mine = (snap: Snapshot) => snap.orders.filter((order) => orderIds.has(order.orderId));
    let snap = await persist('snapshot', () => readSnapshot(target));
    let allTerminalAfterMs: number | undefined;
    while (Date.now() - startedAt < options.settleTimeoutMs + placedAfterMs) {
      if (mine(snap).length === orderIds.size && mine(snap).every((order) => order.status !== 'PENDING')) {
        allTerminalAfterMs = Date.now() - startedAt;
        break;
      }
      await sleep(3_000);
      snap = await persist('snapshot', () => readSnapshot(target));
    }

    // Exactly one outcome notification each; what a kill parked in the notification DLQ is moved back, and said.
    const notificationProblems = (s: Snapshot) => {
      const count = new Map<string, number>();
      for (const n of s.notifications) if (orderIds.has(n.orderId) && n.eventType !== 'PaymentRefunded' && n.status === 'SENT') count.set(n.orderId, (count.get(n.orderId) ?? 0) + 1);
      return [...orderIds].filter((id) => count.get(id) !== 1).map((id) => `${id}: ${count.get(id) ?? 0} outcome notifications`);
    };
    const waitNotified = async (ms: number) => {
      for (const deadline = Date.now() + ms; ; await sleep(2_000)) {
        snap = await persist('snapshot', () => readSnapshot(target));
        if (notificationProblems(snap).length === 0 || Date.now() > deadline) return;
      }
    };
    await waitNotified(120_000);
    let redrivenFromDlq = 0;
    if (notificationProblems(snap).length > 0) {
      const dlq = findDeadLetterQueue(deadLetterQueues(await listStageQueues(sqs, 'local')), 'notification-local-events-dlq');
      if (dlq.visible > 0) {
        const result = await redrive(sqs, dlq);
        redrivenFromDlq = result.method === 'receive-send-delete' ? result.moved : 0;
        log(`  ${redrivenFromDlq} notification message(s) had reached the DLQ (deliveries failed while a component was down): redriven`);
        await waitNotified(120_000);
      }
    }
    const deadLettersAfter = await dlqDepths();
    const deadLetters = Object.fromEntries(Object.entries(deadLettersAfter).map(([name, depth]) => [name, Math.max(0, depth - (deadLettersBefore[name] ?? 0))]));

    const invariants = checkInvariants(snap, { scope: { skus: new Set([...skus, scarce]) } });
    const final = mine(snap);
    const outcomes: Record<string, number> = {};
    for (const order of final) {
      const key = order.status === 'FAILED' ? `FAILED ${order.failureReason}` : order.status;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    const pending = final.filter((order) => order.status === 'PENDING').length + (orderIds.size - final.length);
    const problems = [
      ...(kills.length < options.kills ? [`${kills.length} kills, ${options.kills} wanted`] : []),
      ...kills.filter((k) => k.recoveredAfterMs === undefined).map((k) => `${k.target} did not come back after its kill at ${seconds(k.atMs)}`),
      ...(allTerminalAfterMs === undefined ? [`${pending} orders not terminal within ${seconds(options.settleTimeoutMs)} of the burst`] : []),
      ...notificationProblems(snap).slice(0, 20),
      ...Object.entries(deadLetters).filter(([, depth]) => depth > 0).map(([name, depth]) => `${depth} message(s) reached ${name} during the run and are still there`),
      ...invariants.violations.slice(0, 20).map((v) => `${v.invariant} ${v.subject}: ${v.detail}`),
    ];
    const report: ChaosKillReport = {
      orders: orderIds.size,
      kills,
      survived: kills.filter((k) => k.recoveredAfterMs !== undefined).length,
      outcomes,
      pending,
      allTerminalAfterMs,
      notificationProblems: notificationProblems(snap),
      deadLetters,
      redrivenFromDlq,
      invariants,
      problems,
      ok: problems.length === 0,
    };
    printReport(report, log);
    return report;
  } finally {
    sqs.destroy();
  }
}

function printReport(report: ChaosKillReport, log: (line: string) => void): void {
  const recovered = report.kills.map((k) => k.recoveredAfterMs).filter((ms): ms is number => ms !== undefined);
  log('');
  log(`chaos:kill report`);
  log(`  kills: ${report.kills.length}, survived: ${report.survived} (recovery ${seconds(Math.min(...recovered))} to ${seconds(Math.max(...recovered))})`);
  for (const [index, kill] of report.kills.entries()) {
    log(`    ${String(index + 1).padStart(2)}. ${seconds(kill.atMs).padStart(7)}  ${kill.target.padEnd(34)} pid ${kill.pid} → ${kill.newPid ?? 'not back'}  recovered in ${seconds(kill.recoveredAfterMs)}`);
  }
  log(`  orders: ${report.orders}; outcomes: ${JSON.stringify(report.outcomes)}; all terminal after ${seconds(report.allTerminalAfterMs)}`);
  log(`  dead-letter queues, messages that arrived during the run: ${JSON.stringify(report.deadLetters)}${report.redrivenFromDlq ? ` (${report.redrivenFromDlq} redriven from the notification DLQ)` : ''}`);
  log(`  invariants: ${report.invariants.ok ? 'all hold' : `${report.invariants.violations.length} violation(s)`} (${report.invariants.checked.orders} orders, ${report.invariants.checked.skus} SKUs checked)`);
  log(report.ok ? '  OK' : `  FAILED:\n${report.problems.map((p) => `    - ${p}`).join('\n')}`);
}

const USAGE = `usage: npm run chaos:kill -- [options]   (against the stack of a running npm start)

  --orders <n>        orders in the burst (default ${CHAOS_KILL_DEFAULTS.orders})
  --kills <n>         SIGKILLs, every child component at least once (default ${CHAOS_KILL_DEFAULTS.kills})
  --in-flight <n>     POST /orders at once (default ${CHAOS_KILL_DEFAULTS.inFlight})
  --seed <n>          the random plan's seed (default ${CHAOS_KILL_DEFAULTS.seed})
  --settle <s>        every order must be terminal within this many seconds of the burst (default ${CHAOS_KILL_DEFAULTS.settleTimeoutMs / 1000})
  --json              the report as JSON too

exit code 1 when a component did not come back, an order did not finish, or an invariant broke`;

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string' },
      kills: { type: 'string' },
      'in-flight': { type: 'string' },
      seed: { type: 'string' },
      settle: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
  runChaosKill({
    endpointsFile: path.resolve(process.env.LOCAL_ENDPOINTS_FILE || endpointsFilePath()),
    orders: number(values.orders, CHAOS_KILL_DEFAULTS.orders),
    kills: number(values.kills, CHAOS_KILL_DEFAULTS.kills),
    inFlight: number(values['in-flight'], CHAOS_KILL_DEFAULTS.inFlight),
    seed: number(values.seed, CHAOS_KILL_DEFAULTS.seed),
    settleTimeoutMs: number(values.settle, CHAOS_KILL_DEFAULTS.settleTimeoutMs / 1000) * 1000,
    log: (line) => console.log(line),
  }).then(
    (report) => {
      if (values.json) console.log(JSON.stringify(report, null, 2));
      process.exitCode = report.ok ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
