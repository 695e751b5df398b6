import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateStateMachineCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionDetails } from '../../src/app/inspector';
import { buildTimeline } from '../../src/core/timeline';
import { reviveHistory, type HistoryEvent } from '../../src/core/events';
import { compensationRule } from '../../src/core/compensation';
import type { SagaStats } from '../../src/core/stats';
import { toLogRecords } from '../helpers/fixtures';
import { cliRunner } from '../helpers/run-cli';
import { loadSagaDefinition } from '../helpers/saga-definition';
import { REGION, SCENARIOS, type Sandbox, startSandbox } from '../helpers/sandbox';

/**
 * The CLI against a real Step Functions API (the project's server, in-process) running the real
 * saga definition, with HTTP stubs for the step Lambdas and the order API.
 */
jest.setTimeout(60_000);

let sandbox: Sandbox;
let dir: string;
let saga: ReturnType<typeof cliRunner>;
let release: () => void;

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = mkdtempSync(path.join(tmpdir(), 'inspector-cli-'));
  sandbox.writeEndpointsFile(path.join(dir, 'endpoints.json'));
  saga = cliRunner({ SAGA_ENDPOINTS_FILE: path.join(dir, 'endpoints.json') });
  // Started one after the other so that "newest first" has a defined order.
  for (const [orderId, scenario, customer] of [
    ['ord-ok', SCENARIOS.success, 'cust-a'],
    ['ord-declined', SCENARIOS.declined, 'cust-b'],
    ['ord-compensated', SCENARIOS.compensated, 'cust-a'],
  ] as const) {
    await sandbox.placeOrder(orderId, scenario, customer);
    await sandbox.waitFor(orderId);
  }
});

afterAll(async () => {
  release?.();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('list', () => {
  it('lists the executions newest first, with their status', async () => {
    const out = await saga('list');
    expect(out.code).toBe(0);
    const rows = out.stdout.split('\n').filter((l) => l.includes('ord-'));
    expect(rows.map((r) => r.split(/\s{2,}/u).slice(0, 2))).toEqual([
      ['✗ FAILED', 'ord-compensated'],
      ['✗ FAILED', 'ord-declined'],
      ['✓ SUCCEEDED', 'ord-ok'],
    ]);
  });

  it('filters by status, order, customer and time, as JSON for scripts', async () => {
    const names = async (...args: string[]) => (await saga('list', '--json', ...args)).json<{ items: { name: string }[] }>().items.map((i) => i.name);
    expect(await names('--status', 'FAILED')).toEqual(['ord-compensated', 'ord-declined']);
    expect(await names('--status', 'succeeded')).toEqual(['ord-ok']);
    expect(await names('--order', 'ord-declined')).toEqual(['ord-declined']);
    expect(await names('--customer', 'cust-a')).toEqual(['ord-compensated', 'ord-ok']);
    expect(await names('--since', '1h')).toHaveLength(3);
    expect(await names('--since', new Date(Date.now() + 60_000).toISOString())).toEqual([]);
  });

  it('pages with --limit and --cursor', async () => {
    const first = (await saga('list', '--json', '--limit', '2')).json<{ items: { name: string; durationMs: number }[]; nextCursor: string }>();
    expect(first.items.map((i) => i.name)).toEqual(['ord-compensated', 'ord-declined']);
    expect(first.items[0]!.durationMs).toBeGreaterThan(0);
    const second = (await saga('list', '--json', '--limit', '2', '--cursor', first.nextCursor)).json<{ items: { name: string }[]; nextCursor?: string }>();
    expect(second.items.map((i) => i.name)).toEqual(['ord-ok']);
    expect(second.nextCursor).toBeUndefined();
    expect((await saga('list', '--limit', '2')).stdout).toContain(`--cursor ${first.nextCursor}`);
  });
});

describe('show', () => {
  it('a successful execution: summary, all states succeeded, the order confirmed', async () => {
    const out = await saga('show', 'ord-ok');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Execution ord-ok  ✓ SUCCEEDED');
    expect(out.stdout).toMatch(/Duration\s+\d+(\.\d+)? m?s · 5 transitions · 0 retries/u);
    expect(out.stdout).toMatch(/Order\s+CONFIRMED/u);
    const timeline = out.stdout.split('Timeline\n')[1]!;
    for (const state of ['ReserveInventory', 'ProcessPayment', 'ShipOrder', 'ConfirmOrder', 'OrderConfirmed']) {
      expect(timeline).toMatch(new RegExp(`${state}\\s+(Task|Succeed)\\s+\\+[\\d.]+ m?s\\s+[\\d.]+ m?s\\s+0\\s+✓ succeeded`, 'u'));
    }
    expect(timeline).toContain('out +   {"reservation":{"lines":[{"sku":"SKU-1"');
  });

  it('a declined execution: the caught payment, its compensation marked, the order failed', async () => {
    const out = await saga('show', 'ord-declined');
    expect(out.stdout).toContain('Execution ord-declined  ✗ FAILED  (compensated)');
    expect(out.stdout).toMatch(/Triggered by\s+ProcessPayment PaymentDeclined: Card declined: insufficient funds/u);
    expect(out.stdout).toMatch(/Compensations\s+↺ ReleaseInventoryAfterPaymentDeclined → ↺ MarkOrderFailed/u);
    expect(out.stdout).toMatch(/Order\s+FAILED\s+PAYMENT_DECLINED/u);
    expect(out.stdout).toMatch(/ProcessPayment\s+Task .*⚠ caught/u);
    expect(out.stdout).toMatch(/↺ ReleaseInventoryAfterPaymentDeclined\s+Task .*✓ succeeded/u);
    expect(out.stdout).toMatch(/OrderFailed\s+Fail .*✗ failed/u);
  });

  it('a compensated execution as JSON: summary, timeline, path and order record', async () => {
    const details = (await saga('show', 'ord-compensated', '--json')).json<ExecutionDetails>();
    expect(details.summary).toMatchObject({
      status: 'FAILED',
      error: 'OrderFailed',
      failedState: 'OrderFailed',
      trigger: { state: 'ShipOrder', error: 'ShippingFailed' },
      compensations: ['RefundPaymentAfterShippingFailed', 'ReleaseInventoryAfterShippingFailed', 'MarkOrderFailed'],
    });
    expect(details.timeline.map((e) => [e.name, e.status, e.compensation])).toEqual([
      ['ReserveInventory', 'succeeded', false],
      ['ProcessPayment', 'succeeded', false],
      ['ShipOrder', 'caught', false],
      ['RefundPaymentAfterShippingFailed', 'succeeded', true],
      ['ReleaseInventoryAfterShippingFailed', 'succeeded', true],
      ['MarkOrderFailed', 'succeeded', true],
      ['OrderFailed', 'failed', false],
    ]);
    expect(details.order).toEqual({ state: 'found', record: expect.objectContaining({ orderId: 'ord-compensated', status: 'FAILED', failureReason: 'SHIPPING_FAILED' }) });
    expect(details.events).toBeUndefined();
  });

  it('accepts the execution ARN as well as the order id', async () => {
    const arn = `arn:aws:states:${REGION}:123456789012:execution:order-local-saga:ord-ok`;
    expect((await saga('show', arn, '--json')).json<ExecutionDetails>().summary.name).toBe('ord-ok');
  });
});

describe('graph', () => {
  it('draws the state machine in text with the path taken', async () => {
    const out = await saga('graph', 'ord-compensated');
    expect(out.stdout).toContain('ord-compensated (FAILED)');
    expect(out.stdout).toMatch(/● ShipOrder Task\s+⚠ caught\n\s+→ ConfirmOrder\n\s+⇒ RefundPaymentAfterShippingFailed \(catch: States.ALL\)/u);
    expect(out.stdout).toMatch(/○ ConfirmOrder Task/u);
    expect(out.stdout).toMatch(/● ↺ MarkOrderFailed Task\s+✓ succeeded\n\s+⇒ OrderFailed/u);
  });

  it('exports SVG, DOT and JSON', async () => {
    const file = path.join(dir, 'declined.svg');
    expect((await saga('graph', 'ord-declined', '--svg', file)).stdout).toContain(`wrote ${file}`);
    const svg = readFileSync(file, 'utf8');
    expect(svg).toContain('data-state="ProcessPayment" data-status="caught"');
    expect(svg).toContain('data-state="ReleaseInventoryAfterPaymentDeclined" data-status="succeeded" data-compensation="true"');
    expect((await saga('graph', 'ord-declined', '--dot')).stdout).toContain('"ProcessPayment" -> "ReleaseInventoryAfterPaymentDeclined" [label="PaymentDeclined", style=dashed, penwidth=2.5');
    const json = (await saga('graph', 'ord-ok', '--json')).json<{ path: { transitions: { from: string; to: string }[] }; layout: { nodes: unknown[] } }>();
    expect(json.path.transitions.map((t) => `${t.from}>${t.to}`)).toEqual([
      'ReserveInventory>ProcessPayment',
      'ProcessPayment>ShipOrder',
      'ShipOrder>ConfirmOrder',
      'ConfirmOrder>OrderConfirmed',
    ]);
    expect(json.layout.nodes.length).toBe(15);
  });

  it('without an execution draws the current definition', async () => {
    const out = await saga('graph');
    expect(out.stdout.split('\n')[0]).toBe('order-local-saga');
    expect(out.stdout).toContain('• ↺ RefundPaymentAfterPaymentFailed Task');
  });
});

describe('history', () => {
  it('--json exports the raw events, the same as GetExecutionHistory (--no-mask: unmasked)', async () => {
    const out = await saga('history', 'ord-compensated', '--json', '--no-mask');
    const events = out.json<{ events: Array<{ id: number; type: string; timestamp: string }> }>().events;
    const client = new SFNClient({ region: REGION, endpoint: sandbox.sfnUrl, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const direct = await client.send(new GetExecutionHistoryCommand({ executionArn: `arn:aws:states:${REGION}:123456789012:execution:order-local-saga:ord-compensated` }));
    client.destroy();
    expect(events).toEqual(JSON.parse(JSON.stringify(direct.events)));
    expect(events[0]!.type).toBe('ExecutionStarted');
    expect(events.at(-1)!.type).toBe('ExecutionFailed');
    // The export is enough to rebuild the timeline offline.
    const timeline = buildTimeline(reviveHistory(events) as HistoryEvent[], { isCompensation: compensationRule() });
    const shown = (await saga('show', 'ord-compensated', '--json')).json<ExecutionDetails>();
    expect(timeline.entries.map((e) => [e.name, e.status, e.durationMs])).toEqual(shown.timeline.map((e) => [e.name, e.status, e.durationMs]));
  });

  it('prints an event table for people', async () => {
    const out = await saga('history', 'ord-declined');
    expect(out.stdout).toMatch(/^ID\s+TIME\s+TYPE\s+STATE\s+DETAIL/mu);
    expect(out.stdout).toMatch(/LambdaFunctionFailed\s+PaymentDeclined:/u);
  });
});

describe('redrive and stop', () => {
  it('redrives a failed execution to success once its cause is removed', async () => {
    await sandbox.placeOrder('ord-stuck', SCENARIOS.stuck, 'cust-c');
    expect(await sandbox.waitFor('ord-stuck')).toBe('FAILED');
    const before = (await saga('show', 'ord-stuck', '--json')).json<ExecutionDetails>();
    expect(before.summary).toMatchObject({ failedState: 'ConfirmOrder', error: 'TransientError', retries: 2 });
    expect(before.order).toMatchObject({ record: { status: 'PENDING' } });

    sandbox.lambda.scenario('ord-stuck', {}); // the orders table recovered
    const out = await saga('redrive', 'ord-stuck', '--wait');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('ord-stuck redriven (redrive 1), now SUCCEEDED');

    const after = (await saga('show', 'ord-stuck', '--json')).json<ExecutionDetails>();
    expect(after.summary).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(after.timeline.slice(-3).map((e) => `${e.run}:${e.name}:${e.status}`)).toEqual(['0:ConfirmOrder:failed', '1:ConfirmOrder:succeeded', '1:OrderConfirmed:succeeded']);
    expect(after.order).toMatchObject({ record: { status: 'CONFIRMED' } });
    expect((await saga('show', 'ord-stuck')).stdout).toContain('── redrive 1 ──');
  });

  it('refuses to redrive a successful execution', async () => {
    const out = await saga('redrive', 'ord-ok');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/error: .*SUCCEEDED/u);
  });

  it('stops a running execution', async () => {
    const held = new Promise<void>((resolve) => (release = resolve));
    await sandbox.placeOrder('ord-held', { reserve: { hold: held } }, 'cust-c');
    expect((await saga('show', 'ord-held', '--json')).json<ExecutionDetails>().timeline[0]).toMatchObject({ name: 'ReserveInventory', status: 'running' });
    const out = await saga('stop', 'ord-held', '--json');
    expect(out.json()).toMatchObject({ name: 'ord-held', status: 'ABORTED' });
    release();
    const shown = (await saga('show', 'ord-held', '--json')).json<ExecutionDetails>();
    expect(shown.timeline[0]).toMatchObject({ name: 'ReserveInventory', status: 'aborted' });
    expect((await saga('stop', 'ord-held')).stderr).toContain('only a RUNNING execution can be stopped');
  });
});

describe('stats', () => {
  it('counts by status and failure reason, with duration percentiles', async () => {
    const stats = (await saga('stats', '--json', '--since', '1h')).json<SagaStats>();
    expect(stats.byStatus).toMatchObject({ SUCCEEDED: 2, FAILED: 2, ABORTED: 1 });
    expect(stats.failureReasons).toEqual(
      expect.arrayContaining([
        { reason: 'PaymentDeclined', count: 1 },
        { reason: 'ShippingFailed', count: 1 },
      ]),
    );
    expect(stats.durationMs.count).toBe(5);
    expect(stats.durationMs.p50).toBeGreaterThan(0);
    expect(stats.durationMs.p99).toBeGreaterThanOrEqual(stats.durationMs.p50!);
    const text = (await saga('stats', '--since', '1h')).stdout;
    expect(text).toMatch(/PaymentDeclined\s+1/u);
    expect(text).toMatch(/^\s+all\s+5\s+/mu);
  });
});

describe('Express workflows', () => {
  const machine = 'order-express-saga';
  beforeAll(async () => {
    const client = new SFNClient({ region: REGION, endpoint: sandbox.sfnUrl, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await client.send(
      new CreateStateMachineCommand({ name: machine, type: 'EXPRESS', definition: loadSagaDefinition({ maxAttempts: 2 }), roleArn: 'arn:aws:iam::123456789012:role/saga' }),
    );
    client.destroy();
  });

  it('says why executions cannot be listed, and where the README explains what to do', async () => {
    const out = await saga('list', '--state-machine', machine);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('order-express-saga is an EXPRESS state machine: Step Functions cannot list its executions through the API');
    expect(out.stderr).toContain('ops/inspector/README.md');
  });

  it('still draws the definition', async () => {
    const out = await saga('graph', '--state-machine', machine);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('• ↺ ReleaseInventoryAfterShippingFailed Task');
  });

  it('shows an execution from its CloudWatch Logs records', async () => {
    const arn = `arn:aws:states:${REGION}:123456789012:express:${machine}:ord-compensated:0b6b1f8e-5d0e-4f43-9a57-1c2d3e4f5a6b`;
    const events = (await saga('history', 'ord-compensated', '--json')).json<{ events: HistoryEvent[] }>().events;
    const file = path.join(dir, 'express-logs.jsonl');
    writeFileSync(file, toLogRecords(reviveHistory(events), arn).map((r) => JSON.stringify(r)).join('\n'));
    const out = await saga('show', 'ord-compensated', '--from-file', file, '--state-machine', machine);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Execution ord-compensated  ✗ FAILED  (compensated)');
    expect(out.stdout).toMatch(/Triggered by\s+ShipOrder ShippingFailed/u);
    expect(out.stdout).toMatch(/Order\s+FAILED\s+SHIPPING_FAILED/u);
    const json = (await saga('show', '--from-file', file, '--state-machine', machine, '--json')).json<ExecutionDetails>();
    expect(json.summary).toMatchObject({ executionArn: arn, status: 'FAILED', compensated: true });
  });
});

describe('replay', () => {
  // The stub steps follow a scenario per order id; a replay's own order id has none, so it succeeds:
  // the "fix" of these tests. Seeding needs the stack's tables (the e2e tests), hence --no-seed.
  type Replayed = { replay: { name: string }; seeding: Array<{ outcome: string }>; comparison: { divergence: { state: string } | null; replay: { status: string } } };

  it('runs a failed execution again under its own order id and names the state where the runs part', async () => {
    const out = await saga('replay', 'ord-compensated', '--no-seed', '--expect', 'SUCCEEDED');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Replay ord-compensated-replay-1 of ord-compensated (FAILED)');
    expect(out.stdout).toMatch(/▶ first divergence: \w+: original caught \w+, replay succeeded/u);
    expect(out.stdout).toContain('seed order ord-compensated-replay-1: off');
  });

  it('--json for scripts; --expect exits 1 when the replay ends otherwise; the export file is a source too', async () => {
    const failed = await saga('replay', 'ord-compensated', '--no-seed', '--json', '--expect', 'FAILED');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('EXPECTATION_FAILED');
    const replayed = failed.json<Replayed>();
    expect(replayed.replay.name).toBe('ord-compensated-replay-2');
    expect(replayed.comparison.replay.status).toBe('SUCCEEDED');
    expect(replayed.comparison.divergence).not.toBeNull();
    const file = path.join(dir, 'ord-declined-history.json');
    writeFileSync(file, (await saga('history', 'ord-declined', '--json')).stdout);
    const fromFile = await saga('replay', file, '--no-seed', '--json', '--expect', 'OrderConfirmed');
    expect(fromFile.code).toBe(0);
    expect(fromFile.json<Replayed>().replay.name).toBe('ord-declined-replay-1');
  });

  it('--definition original runs the recorded definition, and puts today\'s back', async () => {
    const before = (await saga('graph', '--json')).json<unknown>();
    const out = await saga('replay', 'ord-ok', '--no-seed', '--definition', 'original', '--json', '--expect', 'OrderConfirmed');
    expect(out.code).toBe(0);
    expect(out.json<Replayed & { notes: string[] }>().notes.join('\n')).toContain('recorded definition');
    expect((await saga('graph', '--json')).json<unknown>()).toEqual(before);
    expect((await saga('replay', 'ord-ok', '--definition', 'yesterday')).code).toBe(2);
  });

  it('seeding needs the local stack, and says how to do without', async () => {
    const out = await saga('replay', 'ord-declined');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('--no-seed');
  });
});

describe('errors and usage', () => {
  it('an unknown order is a clear error (exit 1), JSON on request', async () => {
    const out = await saga('show', 'ord-nope');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('error: no execution named ord-nope');
    const json = await saga('show', 'ord-nope', '--json');
    expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('ord-nope') } });
  });

  it('bad usage exits 2', async () => {
    expect((await saga('list', '--status', 'NOPE')).code).toBe(2);
    expect((await saga('list', '--since', 'yesterday')).code).toBe(2);
    expect((await saga('frobnicate')).code).toBe(2);
  });

  it('a dead endpoint says what to check', async () => {
    const dead = cliRunner({ SFN_ENDPOINT: 'http://127.0.0.1:9', SAGA_ENDPOINTS_FILE: path.join(dir, 'none.json') });
    const out = await dead('list');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('cannot reach http://127.0.0.1:9');
  });
});

describe('npm run saga', () => {
  it('runs the real entry point', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'saga', '--', 'list', '--json', '--status', 'SUCCEEDED'], {
      cwd: path.resolve(__dirname, '../../../..'),
      env: { ...process.env, SAGA_ENDPOINTS_FILE: path.join(dir, 'endpoints.json') },
    });
    expect((JSON.parse(stdout) as { items: { name: string }[] }).items.map((i) => i.name)).toEqual(expect.arrayContaining(['ord-ok']));
  });
});
