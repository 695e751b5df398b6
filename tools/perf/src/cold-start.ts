import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { bundle, type BundleInfo, type SizeShare } from './bundle';
import { naiveOptions, projectOptions } from './esbuild-settings';
import { BUILD_DIR, node22, REPO_ROOT } from './paths';
import { lambdaEnvironment, probe, type ProbeSample } from './probe';
import { sdkFloorSource, sdkUsage } from './sdk-floor';
import { allFunctions, type FunctionConfig } from './serverless-config';
import { ratio, rotation, round, summarize, type Summary } from './stats';

/** The issue's targets for every function. */
export const TARGETS = {
  /** project bundle size and init time at most this share of the naive bundle's */
  maxShareOfNaive: 0.5,
  /** init time beyond the empty handler's, in ms */
  maxInitBeyondEmptyMs: 60,
  /**
   * The floor: a function that imports no library (the 405 handlers) has nothing to trim, and a
   * ratio of two near-empty figures is noise. Below these, both ratio targets count as met.
   */
  floorNaiveBytes: 8 * 1024,
  floorBeyondEmptyMs: 3,
} as const;

export interface TargetsMet {
  halfNaiveSize: boolean;
  halfNaiveInit: boolean;
  under60msBeyondEmpty: boolean;
  /**
   * Misses that the function's AWS SDK clients alone (tools/perf/src/sdk-floor.ts) already make: its
   * init ratio when the clients alone initialise in more than half the naive bundle's time, its
   * 60 ms when the clients alone cost 60 ms or more beyond empty. No trimming of the project's own
   * code can meet those (the issue's "where a dependency costs more, show the figure").
   */
  sdkBound: { init: boolean; beyondEmpty: boolean };
}

/** Whether a function meets each target, with the floors above. Pure. */
export function targetsMet(f: {
  projectBytes: number;
  naiveBytes: number;
  projectBeyondEmptyMs: number;
  naiveBeyondEmptyMs: number;
  initVsNaive: number | null;
  /** Its SDK clients alone: beyond empty, and their init over the naive bundle's; null when it has none. */
  sdkClientsBeyondEmptyMs: number | null;
  sdkClientsVsNaive: number | null;
}): TargetsMet {
  const sizeFloor = f.naiveBytes < TARGETS.floorNaiveBytes;
  const initFloor = f.projectBeyondEmptyMs < TARGETS.floorBeyondEmptyMs && f.naiveBeyondEmptyMs < TARGETS.floorBeyondEmptyMs;
  const under60msBeyondEmpty = f.projectBeyondEmptyMs < TARGETS.maxInitBeyondEmptyMs;
  const halfNaiveInit = initFloor || (f.initVsNaive !== null && f.initVsNaive <= TARGETS.maxShareOfNaive);
  return {
    halfNaiveSize: sizeFloor || f.projectBytes <= TARGETS.maxShareOfNaive * f.naiveBytes,
    halfNaiveInit,
    under60msBeyondEmpty,
    sdkBound: {
      init: !halfNaiveInit && f.sdkClientsVsNaive !== null && f.sdkClientsVsNaive > TARGETS.maxShareOfNaive,
      beyondEmpty: !under60msBeyondEmpty && f.sdkClientsBeyondEmptyMs !== null && f.sdkClientsBeyondEmptyMs >= TARGETS.maxInitBeyondEmptyMs,
    },
  };
}

export type Variant = 'empty' | 'project' | 'naive' | 'sdkClients';
const VARIANTS: readonly Variant[] = ['empty', 'project', 'naive'];

export interface VariantResult {
  bytes: number;
  mapBytes: number;
  initMs: Summary;
  initCpuMs: Summary;
  wallMs: Summary;
  rssMiB: number;
  packages: SizeShare[];
  inputs: SizeShare[];
}

export interface FunctionResult {
  service: string;
  name: string;
  entry: string;
  memorySize: number;
  triggers: string[];
  project: VariantResult;
  naive: VariantResult;
  /** Its AWS SDK clients and commands alone, project settings (only for functions that have any). */
  sdkClients?: Pick<VariantResult, 'bytes' | 'initMs' | 'initCpuMs'> & { initBeyondEmptyMs: number; vsNaive: number | null; clients: string[] };
  /** Median project init minus its SDK clients' alone: what the project adds above the SDK. */
  beyondSdkClientsMs?: number;
  /** The empty handler's samples taken beside this function's (same rounds, same environment). */
  empty: { initMs: Summary; initCpuMs: Summary; wallMs: Summary };
  sizeVsNaive: number | null;
  initVsNaive: number | null;
  /** Median project init minus median empty init, both from this function's rounds. */
  initBeyondEmptyMs: number;
  naiveInitBeyondEmptyMs: number;
  /** The same in CPU time (user + system): steadier on a busy machine. */
  cpuBeyondEmptyMs: number;
  targets: TargetsMet;
}

export interface DependencyResult {
  name: string;
  description: string;
  entry: string;
  project: Pick<VariantResult, 'bytes' | 'initMs' | 'packages'>;
  naive: Pick<VariantResult, 'bytes' | 'initMs' | 'packages'>;
  projectBeyondEmptyMs: number;
  naiveBeyondEmptyMs: number;
}

export interface ColdStartResults {
  kind: 'cold-start';
  generatedAt: string;
  command: string;
  machine: MachineInfo;
  rounds: number;
  node: string;
  settings: { project: BuildOptions; naive: BuildOptions; environment: string };
  targets: typeof TARGETS;
  empty: { bytes: number; initMs: Summary; initCpuMs: Summary; wallMs: Summary };
  functions: FunctionResult[];
  dependencies: DependencyResult[];
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  node: string;
  loadAverageAtStart: number[];
}

export function machineInfo(nodeVersion = process.version): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: nodeVersion,
    loadAverageAtStart: os.loadavg().map((value) => round(value, 2)),
  };
}

/** Small entries that isolate one dependency each: the figures behind the choices in docs/performance.md. */
export const DEPENDENCIES: Array<{ name: string; file: string; description: string }> = [
  { name: 'DynamoDB client', file: 'dep-dynamodb-client.ts', description: '@aws-sdk/client-dynamodb, one command' },
  { name: '+ lib-dynamodb', file: 'dep-dynamodb-document.ts', description: 'client + DynamoDBDocumentClient (what the services use)' },
  { name: '+ util-dynamodb', file: 'dep-dynamodb-marshall.ts', description: 'client + marshall/unmarshall instead of lib-dynamodb' },
  { name: 'SFN + SNS clients', file: 'dep-sfn-sns-clients.ts', description: 'StartExecution and Publish' },
  { name: "zod `import { z }`", file: 'dep-zod-named.ts', description: 'zod 4 classic through the z object' },
  { name: "zod `import * as z`", file: 'dep-zod-namespace.ts', description: 'zod 4 classic, namespace import' },
  { name: 'zod/mini', file: 'dep-zod-mini.ts', description: 'zod 4 mini, same schema' },
  { name: 'Powertools logger + metrics', file: 'dep-powertools-logger-metrics.ts', description: 'Logger, Metrics' },
  { name: 'Powertools tracer (not used)', file: 'dep-powertools-tracer.ts', description: 'Tracer (aws-xray-sdk-core) + a traced DynamoDB client' },
  { name: 'middy + HTTP middlewares', file: 'dep-middy-http.ts', description: 'core, header normalizer, JSON body parser, security headers' },
  { name: 'jose', file: 'dep-jose.ts', description: 'jwtVerify + local JWKS (the local-jwks auth mode)' },
];

export interface ColdStartOptions {
  rounds: number;
  /** `service.function` or `function` names; all when empty. */
  only: string[];
  dependencies: boolean;
  /** Also measure each function's AWS SDK clients alone (tools/perf/src/sdk-floor.ts). */
  sdkVariant: boolean;
  log: (line: string) => void;
}

interface Job {
  key: string;
  file: string;
  exportName: string;
  env: NodeJS.ProcessEnv;
}

function sampleAll(node: string, jobsPerItem: Job[][], rounds: number, log: (line: string) => void): Map<string, ProbeSample[]> {
  const samples = new Map<string, ProbeSample[]>();
  // One load of each first: checks every bundle initialises, and warms the file cache.
  for (const jobs of jobsPerItem) for (const job of jobs) probe(node, job.file, job.exportName, job.env);
  for (let r = 0; r < rounds; r += 1) {
    const started = Date.now();
    jobsPerItem.forEach((jobs, item) => {
      for (const job of rotation(jobs, r, item)) {
        const list = samples.get(job.key) ?? [];
        list.push(probe(node, job.file, job.exportName, job.env));
        samples.set(job.key, list);
      }
    });
    log(`  round ${r + 1}/${rounds} (${((Date.now() - started) / 1000).toFixed(1)} s, load ${os.loadavg()[0]!.toFixed(1)})`);
  }
  return samples;
}

const initOf = (samples: ProbeSample[] | undefined) => summarize((samples ?? []).map((s) => s.initMs));
const cpuOf = (samples: ProbeSample[] | undefined) => summarize((samples ?? []).map((s) => s.initCpuMs));
const wallOf = (samples: ProbeSample[] | undefined) => summarize((samples ?? []).map((s) => s.wallMs));
const rssOf = (samples: ProbeSample[] | undefined) => round(summarize((samples ?? []).map((s) => s.rssMiB)).median, 1);

function variantResult(info: BundleInfo, samples: ProbeSample[] | undefined): VariantResult {
  return {
    bytes: info.bytes,
    mapBytes: info.mapBytes,
    initMs: initOf(samples),
    initCpuMs: cpuOf(samples),
    wallMs: wallOf(samples),
    rssMiB: rssOf(samples),
    packages: info.packages.slice(0, 12),
    inputs: info.inputs.slice(0, 12),
  };
}

export function matches(fn: Pick<FunctionConfig, 'service' | 'name'>, only: string[]): boolean {
  return only.length === 0 || only.some((o) => o === fn.name || o === `${fn.service}.${fn.name}` || o === fn.service);
}

type Dependency = (typeof DEPENDENCIES)[number];
type SdkClientsBundle = BundleInfo & { clients: string[] };
interface FunctionBundles {
  project: BundleInfo;
  naive: BundleInfo;
  sdkClients?: SdkClientsBundle;
}
type Samples = ReturnType<typeof sampleAll>;

const FIXTURES = path.join(REPO_ROOT, 'tools', 'perf', 'fixtures');

/** Each function bundled with the project settings and naively, and (asked for) its SDK clients alone. */
async function bundleFunctions(functions: FunctionConfig[], settings: { project: BuildOptions; naive: BuildOptions }, sdkVariant: boolean): Promise<Map<string, FunctionBundles>> {
  const bundles = new Map<string, FunctionBundles>();
  for (const fn of functions) {
    const serviceDir = path.join(REPO_ROOT, 'services', fn.service);
    const entry = path.join(REPO_ROOT, fn.entry);
    const projectBundle = await bundle(entry, settings.project, path.join(BUILD_DIR, 'project', fn.service, fn.name), serviceDir);
    const usage = sdkUsage(projectBundle.inputs.map((i) => i.name));
    let sdkClients: SdkClientsBundle | undefined;
    if (sdkVariant && usage.clients.length > 0) {
      const floorDir = path.join(BUILD_DIR, 'sdk-clients', fn.service, fn.name);
      mkdirSync(floorDir, { recursive: true });
      const floorEntry = path.join(floorDir, 'entry.ts');
      writeFileSync(floorEntry, sdkFloorSource(usage));
      const clients = [...usage.clients.map((c) => c.className), ...(usage.documentClient ? ['DynamoDBDocumentClient'] : [])];
      sdkClients = { ...(await bundle(floorEntry, settings.project, path.join(floorDir, 'out'), REPO_ROOT)), clients };
    }
    bundles.set(`${fn.service}.${fn.name}`, {
      project: projectBundle,
      naive: await bundle(entry, settings.naive, path.join(BUILD_DIR, 'naive', fn.service, fn.name), serviceDir),
      ...(sdkClients ? { sdkClients } : {}),
    });
  }
  return bundles;
}

async function bundleDependencies(deps: Dependency[], settings: { project: BuildOptions; naive: BuildOptions }): Promise<Map<string, { project: BundleInfo; naive: BundleInfo }>> {
  const depBundles = new Map<string, { project: BundleInfo; naive: BundleInfo }>();
  for (const dep of deps) {
    const entry = path.join(FIXTURES, dep.file);
    depBundles.set(dep.name, {
      project: await bundle(entry, settings.project, path.join(BUILD_DIR, 'deps', 'project', dep.file.replace(/\.ts$/, '')), REPO_ROOT),
      naive: await bundle(entry, settings.naive, path.join(BUILD_DIR, 'deps', 'naive', dep.file.replace(/\.ts$/, '')), REPO_ROOT),
    });
  }
  return depBundles;
}

/** Every item is measured as a triple (empty, project, naive) in rotating order, all rounds alike. */
function measurementItems(
  functions: FunctionConfig[],
  bundles: Map<string, FunctionBundles>,
  deps: Dependency[],
  depBundles: Map<string, { project: BundleInfo; naive: BundleInfo }>,
  empty: BundleInfo,
): Job[][] {
  const items: Job[][] = functions.map((fn) => {
    const key = `${fn.service}.${fn.name}`;
    const env = lambdaEnvironment(fn);
    const b = bundles.get(key)!;
    const variants: Variant[] = b.sdkClients ? [...VARIANTS, 'sdkClients'] : [...VARIANTS];
    return variants.map((variant) => ({
      key: `${key}:${variant}`,
      file: variant === 'empty' ? empty.file : b[variant]!.file,
      exportName: variant === 'empty' ? 'handler' : fn.exportName,
      env,
    }));
  });
  const depEnv = lambdaEnvironment({ deployedName: 'bench-prod-dependency', memorySize: 256, exportName: 'handler', environment: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'bench' } });
  for (const dep of deps) {
    const b = depBundles.get(dep.name)!;
    items.push(
      (['empty', 'project', 'naive'] as const).map((variant) => ({
        key: `dep:${dep.name}:${variant}`,
        file: variant === 'empty' ? empty.file : b[variant].file,
        exportName: 'handler',
        env: depEnv,
      })),
    );
  }
  return items;
}

function functionResult(fn: FunctionConfig, b: FunctionBundles, samples: Samples): FunctionResult {
  const key = `${fn.service}.${fn.name}`;
  const projectResult = variantResult(b.project, samples.get(`${key}:project`));
  const naiveResult = variantResult(b.naive, samples.get(`${key}:naive`));
  const emptyInit = initOf(samples.get(`${key}:empty`));
  const beyond = round(projectResult.initMs.median - emptyInit.median, 1);
  const sizeVsNaive = ratio(projectResult.bytes, naiveResult.bytes);
  const initVsNaive = ratio(projectResult.initMs.median, naiveResult.initMs.median);
  const sdkSamples = samples.get(`${key}:sdkClients`);
  const sdkClients =
    b.sdkClients && sdkSamples
      ? {
          bytes: b.sdkClients.bytes,
          clients: b.sdkClients.clients,
          initMs: initOf(sdkSamples),
          initCpuMs: cpuOf(sdkSamples),
          initBeyondEmptyMs: round(initOf(sdkSamples).median - emptyInit.median, 1),
          vsNaive: ratio(initOf(sdkSamples).median, naiveResult.initMs.median),
        }
      : undefined;
  return {
    service: fn.service,
    name: fn.name,
    entry: fn.entry,
    memorySize: fn.memorySize,
    triggers: fn.triggers,
    project: projectResult,
    naive: naiveResult,
    ...(sdkClients ? { sdkClients, beyondSdkClientsMs: round(projectResult.initMs.median - sdkClients.initMs.median, 1) } : {}),
    empty: { initMs: emptyInit, initCpuMs: cpuOf(samples.get(`${key}:empty`)), wallMs: wallOf(samples.get(`${key}:empty`)) },
    sizeVsNaive,
    initVsNaive,
    initBeyondEmptyMs: beyond,
    naiveInitBeyondEmptyMs: round(naiveResult.initMs.median - emptyInit.median, 1),
    cpuBeyondEmptyMs: round(projectResult.initCpuMs.median - cpuOf(samples.get(`${key}:empty`)).median, 1),
    targets: targetsMet({
      projectBytes: projectResult.bytes,
      naiveBytes: naiveResult.bytes,
      projectBeyondEmptyMs: beyond,
      naiveBeyondEmptyMs: naiveResult.initMs.median - emptyInit.median,
      initVsNaive,
      sdkClientsBeyondEmptyMs: sdkClients?.initBeyondEmptyMs ?? null,
      sdkClientsVsNaive: sdkClients?.vsNaive ?? null,
    }),
  };
}

function dependencyResult(dep: Dependency, b: { project: BundleInfo; naive: BundleInfo }, samples: Samples): DependencyResult {
  const emptyMedian = initOf(samples.get(`dep:${dep.name}:empty`)).median;
  const p = variantResult(b.project, samples.get(`dep:${dep.name}:project`));
  const n = variantResult(b.naive, samples.get(`dep:${dep.name}:naive`));
  return {
    name: dep.name,
    description: dep.description,
    entry: path.posix.join('tools', 'perf', 'fixtures', dep.file),
    project: { bytes: p.bytes, initMs: p.initMs, packages: p.packages.slice(0, 5) },
    naive: { bytes: n.bytes, initMs: n.initMs, packages: n.packages.slice(0, 5) },
    projectBeyondEmptyMs: round(p.initMs.median - emptyMedian, 1),
    naiveBeyondEmptyMs: round(n.initMs.median - emptyMedian, 1),
  };
}

export async function runColdStart(options: ColdStartOptions): Promise<ColdStartResults> {
  const { log } = options;
  const node = node22();
  const nodeVersion = (await import('node:child_process')).execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const machine = machineInfo(nodeVersion);
  const project = projectOptions();
  const naive = naiveOptions();
  const functions = allFunctions().filter((fn) => matches(fn, options.only));
  if (functions.length === 0) throw new Error(`no function matches ${options.only.join(', ')}`);

  rmSync(BUILD_DIR, { recursive: true, force: true });
  mkdirSync(BUILD_DIR, { recursive: true });
  log(`Bundling ${functions.length} functions (project settings from shared/serverless/common.yml, and naive)…`);
  const empty = await bundle(path.join(FIXTURES, 'empty-handler.ts'), project, path.join(BUILD_DIR, 'empty'), REPO_ROOT);
  const bundles = await bundleFunctions(functions, { project, naive }, options.sdkVariant);
  const deps = options.dependencies ? DEPENDENCIES : [];
  const depBundles = await bundleDependencies(deps, { project, naive });

  const items = measurementItems(functions, bundles, deps, depBundles, empty);
  log(`Measuring module initialisation: ${items.length} items x ${items.reduce((n, i) => n + i.length, 0) / items.length} variants (avg) x ${options.rounds} rounds, each a fresh ${nodeVersion} process…`);
  const samples = sampleAll(node, items, options.rounds, log);

  const allEmpty = [...samples].filter(([key]) => key.endsWith(':empty')).flatMap(([, list]) => list);
  return {
    kind: 'cold-start',
    generatedAt: new Date().toISOString(),
    command: `npm run bench:cold -- --rounds ${options.rounds}${options.only.length ? ` --only ${options.only.join(',')}` : ''}`,
    machine,
    rounds: options.rounds,
    node: nodeVersion,
    settings: {
      project,
      naive,
      environment: "each function's serverless.yml environment for stage prod (NODE_OPTIONS included) + the Lambda runtime's variables",
    },
    targets: TARGETS,
    empty: { bytes: empty.bytes, initMs: initOf(allEmpty), initCpuMs: cpuOf(allEmpty), wallMs: wallOf(allEmpty) },
    functions: functions.map((fn) => functionResult(fn, bundles.get(`${fn.service}.${fn.name}`)!, samples)),
    dependencies: deps.map((dep) => dependencyResult(dep, depBundles.get(dep.name)!, samples)),
  };
}
