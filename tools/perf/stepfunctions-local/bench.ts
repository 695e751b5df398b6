import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { EVENTS_PER_EXECUTION, FIVE_STATES, price } from './definition';

/**
 * Executions per second of a five-state machine: the engine alone (in this process) and through
 * the HTTP API (the server in a child process, history kept, persistence on), sequential and
 * with 50 requests in flight; and the server's memory after 1,000 and 10,000 executions.
 * Throughputs are medians of ROUNDS rounds. Writes tools/perf/stepfunctions-local/results.json.
 */
const ROUNDS = 5;
// Executions per round, sized so the memory checkpoints fall at exactly 1,000 and 10,000.
const WARMUP = 250;
const SEQUENTIAL_ROUND = (1000 - WARMUP) / ROUNDS;
const IN_FLIGHT_ROUND = 9000 / ROUNDS;
const MB = 1024 * 1024;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

/** Runs `n` calls of `fn` with `concurrency` in flight; returns elapsed ms. */
async function pool(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next;
        next += 1;
        await fn(i);
      }
    }),
  );
  return performance.now() - started;
}

// ---- the engine alone ----

async function engineAlone(): Promise<{ sequential: number[]; inFlight50: number[] }> {
  const machine = new StateMachine(structuredClone(FIVE_STATES) as unknown as StateMachineDefinition);
  const overrides = { taskResourceLocalHandlers: { Price: async (input: unknown) => price(input) as never } };
  const runOne = (i: number) => machine.run({ orderId: `o-${i}`, qty: i % 7 }, { overrides }).result;
  await pool(3000, 50, runOne);
  const sequential: number[] = [];
  const inFlight50: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    sequential.push(5000 / ((await pool(5000, 1, runOne)) / 1000));
    inFlight50.push(20000 / ((await pool(20000, 50, runOne)) / 1000));
  }
  return { sequential, inFlight50 };
}

// ---- the server, driven over HTTP ----

interface Memory {
  rss: number;
  heapUsed: number;
  gc: boolean;
}

class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static start(options: object): Promise<ServerProcess> {
    const child = fork(join(__dirname, 'server-child.ts'), [JSON.stringify(options)], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('message', (message: { url: string }) => resolve(new ServerProcess(child, message.url)));
    });
  }

  /** Memory at rest: after a pause for the debounced persistence write to finish, then GC. */
  async memory(): Promise<Memory> {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return new Promise((resolve) => {
      this.child.once('message', (message: Memory) => resolve(message));
      this.child.send({ type: 'memory' });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'close' });
    });
  }
}

class Api {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  readonly latencies: number[] = [];

  constructor(private readonly url: URL) {}

  call<T>(action: string, body: object): Promise<T> {
    const text = JSON.stringify(body);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `AWSStepFunctions.${action}`,
            'content-length': Buffer.byteLength(text),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
            if (res.statusCode !== 200) reject(new Error(`${action}: ${JSON.stringify(parsed)}`));
            else {
              if (action === 'StartExecution') this.latencies.push(performance.now() - started);
              resolve(parsed);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

interface Load {
  api: Api;
  machineArn: string;
  lastArn: string;
}

/** Starts `n` executions with `concurrency` requests in flight and waits until none is RUNNING; returns executions/s. */
async function drive(load: Load, n: number, concurrency: number): Promise<number> {
  const started = performance.now();
  await pool(n, concurrency, async (i) => {
    const out = await load.api.call<{ executionArn: string }>('StartExecution', {
      stateMachineArn: load.machineArn,
      input: JSON.stringify({ orderId: `o-${i}`, qty: i % 7 }),
    });
    load.lastArn = out.executionArn;
  });
  for (;;) {
    const running = await load.api.call<{ executions: unknown[] }>('ListExecutions', {
      stateMachineArn: load.machineArn,
      statusFilter: 'RUNNING',
      maxResults: 1,
    });
    if (running.executions.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return n / ((performance.now() - started) / 1000);
}

async function withServer<T>(options: { retainExecutions: number }, body: (load: Load, server: ServerProcess) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sfn-bench-'));
  const server = await ServerProcess.start({ ...options, dataDir });
  const api = new Api(new URL(server.url));
  try {
    const { stateMachineArn } = await api.call<{ stateMachineArn: string }>('CreateStateMachine', {
      name: 'bench',
      definition: JSON.stringify(FIVE_STATES),
      roleArn: 'arn:aws:iam::123456789012:role/bench',
    });
    return await body({ api, machineArn: stateMachineArn, lastArn: '' }, server);
  } finally {
    api.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function apiRuns() {
  // Retention 1,000: the memory check of "flat after 10,000 executions".
  const flat = await withServer({ retainExecutions: 1000 }, async (load, server) => {
    await drive(load, WARMUP, 50); // counted in the first 1,000
    // The floor for "sequential": one request at a time of an action that does almost nothing.
    const describe = () => load.api.call('DescribeStateMachine', { stateMachineArn: load.machineArn });
    const roundTrips = 500 / ((await pool(500, 1, describe)) / 1000);
    const sequential: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) sequential.push(await drive(load, SEQUENTIAL_ROUND, 1));
    const sequentialLatency = [...load.api.latencies.slice(WARMUP)];
    const at1k = await server.memory();
    load.api.latencies.length = 0;
    const inFlight50: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) inFlight50.push(await drive(load, IN_FLIGHT_ROUND, 50));
    const at10k = await server.memory();
    const events = await load.api.call<{ events: unknown[] }>('GetExecutionHistory', { executionArn: load.lastArn, maxResults: 1000 });
    if (events.events.length !== EVENTS_PER_EXECUTION) throw new Error(`history has ${events.events.length} events, expected ${EVENTS_PER_EXECUTION}`);
    return {
      roundTrips,
      sequential,
      inFlight50,
      startLatencyMs: {
        sequential: { p50: percentile(sequentialLatency, 50), p99: percentile(sequentialLatency, 99) },
        inFlight50: { p50: percentile(load.api.latencies, 50), p99: percentile(load.api.latencies, 99) },
      },
      memory: { at1k, at10k },
    };
  });
  // Default retention (10,000): every execution's history stays, so memory grows with it.
  const retained = await withServer({ retainExecutions: 10_000 }, async (load, server) => {
    await drive(load, 1000, 50);
    const at1k = await server.memory();
    await drive(load, 9000, 50);
    const at10k = await server.memory();
    return { at1k, at10k };
  });
  return { ...flat, retained };
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;

async function main(): Promise<void> {
  console.log(`stepfunctions-local bench: ${cpus().length} cores, node ${process.version}; ${ROUNDS} rounds, medians\n`);
  const engine = await engineAlone();
  const api = await apiRuns();
  const results = {
    date: new Date().toISOString(),
    machine: { cores: cpus().length, model: cpus()[0]?.model, node: process.version },
    definition: 'Pass -> Task (in-process Lambda handler) -> Choice -> Pass -> Succeed',
    executionsPerSecond: {
      engineAlone: { sequential: median(engine.sequential), inFlight50: median(engine.inFlight50), samples: engine },
      httpApi: {
        sequential: median(api.sequential),
        inFlight50: median(api.inFlight50),
        samples: { sequential: api.sequential, inFlight50: api.inFlight50 },
      },
    },
    sequentialRoundTripsPerSecond: api.roundTrips,
    startExecutionLatencyMs: api.startLatencyMs,
    serverMemory: {
      retain1000: api.memory,
      retain10000: api.retained,
      gcBeforeMeasure: api.memory.at1k.gc,
    },
  };
  const e = results.executionsPerSecond;
  const rows: [string, string][] = [
    ['engine alone, sequential', rate(e.engineAlone.sequential)],
    ['engine alone, 50 in flight', rate(e.engineAlone.inFlight50)],
    ['HTTP round trips, sequential', `${rate(api.roundTrips)}  (DescribeStateMachine: the floor for one request at a time)`],
    ['HTTP API, sequential', `${rate(e.httpApi.sequential)}  (StartExecution p50 ${api.startLatencyMs.sequential.p50.toFixed(2)} ms)`],
    ['HTTP API, 50 in flight', `${rate(e.httpApi.inFlight50)}  (StartExecution p50 ${api.startLatencyMs.inFlight50.p50.toFixed(2)} ms, p99 ${api.startLatencyMs.inFlight50.p99.toFixed(2)} ms)`],
    ['API / engine (50 in flight)', `${((e.httpApi.inFlight50 / e.engineAlone.inFlight50) * 100).toFixed(1)} %`],
    ['memory, retain 1,000: after 1k', `rss ${mb(api.memory.at1k.rss)}, heap ${mb(api.memory.at1k.heapUsed)}`],
    ['memory, retain 1,000: after 10k', `rss ${mb(api.memory.at10k.rss)}, heap ${mb(api.memory.at10k.heapUsed)}`],
    ['memory, retain 10,000: after 1k', `rss ${mb(api.retained.at1k.rss)}, heap ${mb(api.retained.at1k.heapUsed)}`],
    ['memory, retain 10,000: after 10k', `rss ${mb(api.retained.at10k.rss)}, heap ${mb(api.retained.at10k.heapUsed)}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nwritten to tools/perf/stepfunctions-local/results.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
