import { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mintToken } from '../../devauth/src/index';
import { localClientConfig } from '../../local-stack/src/aws-clients';
import type { ServiceName } from '../../local-stack/src/config';
import type { StackEndpoints } from '../../local-stack/src/endpoints';
import { processTree, treeRssBytes } from '../../local-stack/src/process/process-tree';
import { sleep } from '../../local-stack/src/process/wait';
import { createScratchRepo } from '../../local-stack/src/scratch-repo';
import { spawnStack, stopStackProcess } from '../../local-stack/src/stack-launcher';
import { REPO_ROOT } from './paths';
import { quantile, round } from './stats';

/** What `npm run bench:reload` saves, and how it sees the new code answer. */
export interface ReloadTarget {
  kind: 'HTTP handler' | 'saga step' | 'queue consumer' | 'shared module';
  /** The file saved, relative to the repository. */
  file: string;
  /** The service whose log shows the new code loading. */
  service: ServiceName;
  /** One request that runs the function (its answer may be an error: only the code that gave it matters). */
  probe: (stack: Probes) => Promise<void>;
}

interface Probes {
  endpoints: StackEndpoints;
  customerAuth: string;
  invoke(service: ServiceName, functionName: string, payload: unknown): Promise<void>;
}

const getMissingOrder = async ({ endpoints, customerAuth }: Probes) => {
  await (await fetch(`${endpoints.orderApi}/orders/ord_reloadbench0000000000000000000000`, { headers: { authorization: customerAuth } })).arrayBuffer();
};

export const RELOAD_TARGETS: ReloadTarget[] = [
  { kind: 'HTTP handler', file: 'services/order/src/handlers/getOrder.ts', service: 'order', probe: getMissingOrder },
  // An input the step refuses: the answer is a validation error, so nothing is charged.
  { kind: 'saga step', file: 'services/payment/src/handlers/charge.ts', service: 'payment', probe: (p) => p.invoke('payment', 'payment-local-charge', {}) },
  { kind: 'queue consumer', file: 'services/notification/src/handlers/consume.ts', service: 'notification', probe: (p) => p.invoke('notification', 'notification-local-consume', { Records: [] }) },
  // Imported by every HTTP handler of every service; seen through the order API.
  { kind: 'shared module', file: 'shared/src/lambda/http-handler.ts', service: 'order', probe: getMissingOrder },
];

export interface ReloadKindResult {
  kind: ReloadTarget['kind'];
  file: string;
  saves: number;
  /** Milliseconds from the file write to the first answer of the new code. */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Saves whose new code did not answer within the time limit (counted at the limit). */
  timeouts: number;
}

export interface ReloadResults {
  kind: 'reload';
  generatedAt: string;
  settings: { savesPerKind: number; gapMs: number; timeoutMs: number; typecheck: boolean };
  kinds: ReloadKindResult[];
  rss: { beforeMiB: number; afterMiB: number; growthMiB: number; saves: number; byProcess: Array<{ process: string; beforeMiB: number; afterMiB: number }> };
  targets: { p50Ms: number; p95Ms: number; growthMiB: number };
  command: string;
}

const MiB = 1024 * 1024;

/** Bytes appended to a file since `offset`. */
function readFrom(file: string, offset: number): string {
  const size = statSync(file).size;
  if (size <= offset) return '';
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

/** RSS per process of the stack, named by what it runs. */
function rssByProcess(pid: number): Map<string, number> {
  const named = new Map<string, number>();
  for (const info of processTree(pid)) {
    const name = /DynamoDBLocal/.test(info.command)
      ? 'DynamoDB Local (JVM)'
      : /serverless\.js offline/.test(info.command)
        ? `serverless offline (${/--httpPort (\d+)/.exec(info.command)?.[1] ?? info.pid})`
        : /local-stack[\\/]src[\\/]start/.test(info.command)
          ? 'stack process'
          : /esbuild/.test(info.command)
            ? 'esbuild service'
            : `other: ${info.command.slice(0, 40)}`;
    named.set(name, (named.get(name) ?? 0) + info.rssBytes);
  }
  return named;
}

/** Until no type check (tsc) has run in the stack's tree for 3 s, so that its memory is not counted. */
async function settled(pid: number, maxMs = 180_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let quietSince = Date.now();
  while (Date.now() < deadline && Date.now() - quietSince < 3000) {
    if (processTree(pid).some((info) => /typescript[\\/]bin[\\/]tsc/.test(info.command))) quietSince = Date.now();
    await sleep(250);
  }
}

export interface ReloadOptions {
  savesPerKind: number;
  gapMs: number;
  timeoutMs: number;
  portBase: number;
  typecheck: boolean;
  log: (line: string) => void;
}

/**
 * Starts a stack on a scratch copy of the repository and saves each target `savesPerKind` times
 * (round robin). Each save appends a line that prints a marker when the module loads; the time
 * counted runs from the write to the first answer after which the marker is in the service's log.
 */
export async function runReloadBench(options: ReloadOptions): Promise<ReloadResults> {
  const scratch = createScratchRepo({ templatesFrom: path.join(REPO_ROOT, '.local') });
  const dataDir = path.join(scratch.dir, '.local');
  let pid: number | undefined;
  const lambda = new Map<ServiceName, LambdaClient>();
  try {
    options.log(`scratch copy: ${scratch.dir}; starting its stack on ports from ${options.portBase}`);
    const started = await spawnStack({
      rootDir: scratch.dir,
      log: path.join(dataDir, 'logs', 'bench-reload-stack.log'),
      endpointsFile: path.join(dataDir, 'endpoints.json'),
      env: { LOCAL_PORT_BASE: String(options.portBase), LOCAL_DATA_DIR: '', LOCAL_TYPECHECK: String(options.typecheck) },
      onSpawn: (spawned) => (pid = spawned),
    });
    const { endpoints } = started;
    const probes: Probes = {
      endpoints,
      customerAuth: `Bearer ${await mintToken({ customerId: 'reload-bench', dir: path.join(dataDir, 'auth') })}`,
      invoke: async (service, functionName, payload) => {
        let client = lambda.get(service);
        if (!client) lambda.set(service, (client = new LambdaClient({ ...localClientConfig(endpoints.lambda[service], endpoints.region), maxAttempts: 1 })));
        await client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)) }));
      },
    };
    // Every function once, so that "before" is a warm stack.
    for (const target of RELOAD_TARGETS) await target.probe(probes);
    await settled(started.pid);
    const before = treeRssBytes(started.pid);
    const beforeByProcess = rssByProcess(started.pid);

    const originals = new Map(RELOAD_TARGETS.map((t) => [t.file, readFileSync(path.join(scratch.dir, t.file), 'utf8')]));
    const samples = new Map<string, { ms: number[]; timeouts: number }>(RELOAD_TARGETS.map((t) => [t.kind, { ms: [], timeouts: 0 }]));
    for (let round = 1; round <= options.savesPerKind; round += 1) {
      for (const target of RELOAD_TARGETS) {
        const sample = samples.get(target.kind)!;
        const marker = `reload-bench ${target.kind} ${round}`;
        const logFile = path.join(dataDir, 'logs', `${target.service}.log`);
        const offset = statSync(logFile).size;
        const startedAt = performance.now();
        writeFileSync(path.join(scratch.dir, target.file), `${originals.get(target.file)}\nconsole.log(${JSON.stringify(marker)});\n`);
        let elapsed = 0;
        for (;;) {
          await target.probe(probes).catch(() => undefined);
          elapsed = performance.now() - startedAt;
          if (readFrom(logFile, offset).includes(marker)) break;
          if (elapsed > options.timeoutMs) {
            sample.timeouts += 1;
            break;
          }
        }
        sample.ms.push(elapsed);
        await sleep(options.gapMs);
      }
      if (round % 5 === 0) options.log(`  ${round}/${options.savesPerKind} rounds`);
    }
    await settled(started.pid);
    const after = treeRssBytes(started.pid);
    const afterByProcess = rssByProcess(started.pid);
    const saves = options.savesPerKind * RELOAD_TARGETS.length;
    return {
      kind: 'reload',
      generatedAt: new Date().toISOString(),
      settings: { savesPerKind: options.savesPerKind, gapMs: options.gapMs, timeoutMs: options.timeoutMs, typecheck: options.typecheck },
      kinds: RELOAD_TARGETS.map((target) => {
        const { ms, timeouts } = samples.get(target.kind)!;
        return { kind: target.kind, file: target.file, saves: ms.length, p50Ms: round(quantile(ms, 0.5), 0), p95Ms: round(quantile(ms, 0.95), 0), maxMs: round(Math.max(...ms), 0), timeouts };
      }),
      rss: {
        beforeMiB: round(before / MiB, 0),
        afterMiB: round(after / MiB, 0),
        growthMiB: round((after - before) / MiB, 0),
        saves,
        byProcess: [...new Set([...beforeByProcess.keys(), ...afterByProcess.keys()])].map((name) => ({
          process: name,
          beforeMiB: round((beforeByProcess.get(name) ?? 0) / MiB, 0),
          afterMiB: round((afterByProcess.get(name) ?? 0) / MiB, 0),
        })),
      },
      targets: { p50Ms: 1000, p95Ms: 2000, growthMiB: 50 },
      command: `npm run bench:reload -- --saves ${options.savesPerKind}${options.typecheck ? '' : ' --no-typecheck'}`,
    };
  } finally {
    for (const client of lambda.values()) client.destroy();
    await stopStackProcess(pid);
    scratch.dispose();
  }
}

/** The console and docs table. */
export function reloadTable(results: ReloadResults): string {
  const rows = results.kinds.map((k) => `| ${k.kind} (\`${k.file}\`) | ${k.saves} | ${k.p50Ms} ms | ${k.p95Ms} ms | ${k.maxMs} ms | ${k.timeouts} |`);
  return [
    '| saved | saves | p50 | p95 | max | timeouts |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    ...results.rss.byProcess.map((p) => `- ${p.process}: ${p.beforeMiB} → ${p.afterMiB} MiB`),
    '',
    `Stack RSS: ${results.rss.beforeMiB} MiB before, ${results.rss.afterMiB} MiB after ${results.rss.saves} saves (${results.rss.growthMiB >= 0 ? '+' : ''}${results.rss.growthMiB} MiB; target ≤ ${results.targets.growthMiB} MiB).`,
  ].join('\n');
}
