import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { TransientError } from '../errors';

/**
 * Fault injection for the local stage only: makes functions fail the ways Lambda functions fail on
 * AWS, so that the tests can show that retries, redeliveries and compensations keep the
 * guarantees. It is off unless STAGE is `local` AND a faults file exists (see
 * {@link faultsFilePath}); no deployed configuration names a faults file, so on AWS this is a
 * no-op decided once per container.
 *
 * The faults file (JSON, read again whenever it changes) maps function names (exact, or a pattern
 * with `*`) to probabilities per invocation:
 *
 * ```json
 * { "inventory-local-reserve": { "transient": 0.1, "timeout": 0.05, "afterEffect": 0.1 },
 *   "*": { "transient": 0.02, "duplicate": 0.05 } }
 * ```
 *
 * - `transient`: the invocation throws a TransientError before doing anything (a throttled
 *   dependency, a network blip). Saga Tasks retry it; pollers redeliver; HTTP answers 503.
 * - `timeout`: the invocation hangs until the function's time is up, doing nothing, like a call
 *   stuck on the network, and is ended as on AWS: by middy's early timeout (`TimeoutError`, which
 *   a saga step reports as TransientError) in middy handlers, else by the runtime's own timeout
 *   (serverless-offline's, which stepfunctions-local reports as `Sandbox.Timedout` like Lambda);
 *   if nothing ends it, it throws `Sandbox.Timedout` itself.
 * - `afterEffect`: the handler runs to completion (its writes are made), then the reply is lost:
 *   a TransientError instead of the result. The caller retries an action that already happened,
 *   the hardest case for idempotency.
 * - `duplicate`: not used by the functions: the local stack's SQS and stream pollers deliver a
 *   message or stream record to this function twice with this probability.
 * - `throttle`: for an AWS API call rather than a function, named `aws:<Operation>` (for example
 *   `"aws:StartExecution": { "throttle": 1 }`): a client wrapped by {@link withInjectedThrottling}
 *   has each attempt of that call answered as AWS answers a throttled one (ThrottlingException,
 *   ProvisionedThroughputExceededException, ...); the SDK retries it as it would a real one.
 *
 * An exact name wins over patterns; among patterns, the longest. Every injected fault is appended
 * to `faults-log.jsonl` beside the faults file, so a test can count what it injected.
 */

export const FUNCTION_FAULT_KINDS = ['transient', 'timeout', 'afterEffect'] as const;
export type FunctionFaultKind = (typeof FUNCTION_FAULT_KINDS)[number];
export const FAULT_KINDS = [...FUNCTION_FAULT_KINDS, 'duplicate', 'throttle'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Probabilities (0..1) per invocation; transient + timeout + afterEffect must not exceed 1. */
export type FunctionFaults = Partial<Record<FaultKind, number>>;
export type FaultsConfig = Record<string, FunctionFaults>;

export const FAULTS_FILE_NAME = 'faults.json';
export const FAULTS_LOG_NAME = 'faults-log.jsonl';

/** One line of the faults log. */
export interface FaultLogEntry {
  at: string;
  functionName: string;
  kind: FaultKind;
  /** The invocation's request id, or what the duplicate was (a message id, a sequence number). */
  ref?: string;
}

export class InvalidFaultsConfig extends Error {
  override readonly name = 'InvalidFaultsConfig';
}

/** Validates a parsed faults file; throws InvalidFaultsConfig naming the offending entry. */
export function parseFaultsConfig(value: unknown): FaultsConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidFaultsConfig('the faults file must hold a JSON object of function name -> probabilities');
  }
  const config: FaultsConfig = {};
  for (const [pattern, faults] of Object.entries(value as Record<string, unknown>)) {
    if (typeof faults !== 'object' || faults === null || Array.isArray(faults)) {
      throw new InvalidFaultsConfig(`"${pattern}" must map to an object such as {"transient": 0.1}`);
    }
    const entry: FunctionFaults = {};
    for (const [kind, probability] of Object.entries(faults as Record<string, unknown>)) {
      if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
        throw new InvalidFaultsConfig(`"${pattern}": unknown fault "${kind}"; known: ${FAULT_KINDS.join(', ')}`);
      }
      if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
        throw new InvalidFaultsConfig(`"${pattern}".${kind} must be a probability from 0 to 1, got ${JSON.stringify(probability)}`);
      }
      entry[kind as FaultKind] = probability;
    }
    const total = FUNCTION_FAULT_KINDS.reduce((sum, kind) => sum + (entry[kind] ?? 0), 0);
    if (total > 1 + 1e-9) throw new InvalidFaultsConfig(`"${pattern}": transient + timeout + afterEffect is ${total}, more than 1`);
    config[pattern] = entry;
  }
  return config;
}

function patternMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(name);
}

/** The faults that apply to a function: its exact entry, else the longest matching pattern's. */
export function faultsFor(config: FaultsConfig, functionName: string): FunctionFaults {
  if (config[functionName]) return config[functionName];
  let best: string | undefined;
  for (const pattern of Object.keys(config)) {
    if (pattern.includes('*') && patternMatches(pattern, functionName) && (best === undefined || pattern.length > best.length)) best = pattern;
  }
  return best === undefined ? {} : (config[best] ?? {});
}

/** One draw: which function fault (if any) this invocation gets. */
export function drawFunctionFault(faults: FunctionFaults, random: () => number = Math.random): FunctionFaultKind | undefined {
  let threshold = 0;
  const draw = random();
  for (const kind of FUNCTION_FAULT_KINDS) {
    threshold += faults[kind] ?? 0;
    if (draw < threshold) return kind;
  }
  return undefined;
}

/** The repository root above `start` (its package.json is the workspace root's), if any. */
function repositoryRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    try {
      if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'order-platform') return dir;
    } catch {
      // An unreadable package.json is not the root; keep looking.
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Where the faults file is: `FAULTS_FILE`, else `$LOCAL_DATA_DIR/faults.json` (the local stack
 * passes its data folder to serverless offline; relative to the repository), else `.local/faults.json` of the repository the
 * process runs in, when it runs under serverless offline (IS_OFFLINE). Undefined unless STAGE is
 * `local`: deployed functions never look for one.
 */
export function faultsFilePath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string | undefined {
  if (env.STAGE !== 'local') return undefined;
  if (env.FAULTS_FILE) return path.resolve(cwd, env.FAULTS_FILE);
  // A relative LOCAL_DATA_DIR is relative to the repository, as for the local stack and devauth.
  if (env.LOCAL_DATA_DIR) return path.join(path.resolve(repositoryRoot(cwd) ?? cwd, env.LOCAL_DATA_DIR), FAULTS_FILE_NAME);
  if (env.IS_OFFLINE !== 'true') return undefined;
  const root = repositoryRoot(cwd);
  return root === undefined ? undefined : path.join(root, '.local', FAULTS_FILE_NAME);
}

export interface FaultSourceOptions {
  random?: () => number;
  now?: () => Date;
  /** Where a malformed faults file is reported (it then injects nothing). */
  warn?: (message: string) => void;
}

/**
 * The faults file as it is now: read again when its modification time or size changes (one stat
 * per invocation), absent file = no faults. Writes every injected fault to the log beside it.
 */
export class FaultSource {
  private cached: { key: string; config: FaultsConfig } | undefined;
  private readonly random: () => number;
  private readonly now: () => Date;
  private readonly warn: (message: string) => void;
  readonly logFile: string;

  constructor(
    readonly file: string,
    options: FaultSourceOptions = {},
  ) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => new Date());
    this.warn = options.warn ?? ((message) => console.error(message));
    this.logFile = path.join(path.dirname(file), FAULTS_LOG_NAME);
  }

  config(): FaultsConfig {
    let key: string;
    try {
      const stat = statSync(this.file);
      key = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      this.cached = undefined;
      return {};
    }
    if (this.cached?.key === key) return this.cached.config;
    let config: FaultsConfig = {};
    try {
      config = parseFaultsConfig(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch (error) {
      this.warn(`fault injection: ignoring ${this.file}: ${(error as Error).message}`);
    }
    this.cached = { key, config };
    return config;
  }

  faultsFor(functionName: string): FunctionFaults {
    return faultsFor(this.config(), functionName);
  }

  drawFunctionFault(functionName: string): FunctionFaultKind | undefined {
    return drawFunctionFault(this.faultsFor(functionName), this.random);
  }

  /** Whether to deliver one message or record to this function a second time. */
  drawDuplicate(functionName: string): boolean {
    const probability = this.faultsFor(functionName).duplicate ?? 0;
    return probability > 0 && this.random() < probability;
  }

  /** Whether to throttle this AWS API call (`aws:<Operation>`). */
  drawThrottle(call: string): boolean {
    const probability = this.faultsFor(call).throttle ?? 0;
    return probability > 0 && this.random() < probability;
  }

  record(functionName: string, kind: FaultKind, ref?: string): void {
    const entry: FaultLogEntry = { at: this.now().toISOString(), functionName, kind, ...(ref === undefined ? {} : { ref }) };
    try {
      // One short line per write with O_APPEND: concurrent writers (four offline processes) never interleave.
      appendFileSync(this.logFile, `${JSON.stringify(entry)}\n`);
    } catch (error) {
      this.warn(`fault injection: could not log to ${this.logFile}: ${(error as Error).message}`);
    }
  }
}

/** The fault source of this process, or undefined when fault injection is off (every non-local stage). */
export function faultSourceFromEnv(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): FaultSource | undefined {
  const file = faultsFilePath(env, cwd);
  return file === undefined ? undefined : new FaultSource(file);
}

/** Reads the faults log (missing file: no entries), optionally only entries at or after `since`. */
export function readFaultLog(file: string, since?: Date): FaultLogEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const entries = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FaultLogEntry);
  return since === undefined ? entries : entries.filter((entry) => Date.parse(entry.at) >= since.getTime());
}

/** Counts per fault kind (every kind present, zero when none). */
export function countFaults(entries: readonly FaultLogEntry[]): Record<FaultKind, number> {
  const counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  for (const entry of entries) counts[entry.kind] += 1;
  return counts;
}

/**
 * An injected transient failure. It is a TransientError (the saga retries it by name) and carries
 * `$retryable` like a throttled AWS SDK call, so an HTTP function answers 503 + Retry-After.
 */
export class InjectedFault extends TransientError {
  readonly $retryable = {};
  constructor(kind: 'transient' | 'afterEffect', functionName: string) {
    super(
      kind === 'transient'
        ? `Injected transient fault in ${functionName} (local fault injection)`
        : `Injected fault in ${functionName}: the work was done but the reply was lost (local fault injection)`,
    );
  }
}

/** Lambda's own error for a function that ran out of time; Step Functions retries it as Sandbox.Timedout. */
export class LambdaTimeout extends Error {
  override readonly name = 'Sandbox.Timedout';
}

/** Hangs this long past the function's remaining time, so that the runtime's timeout ends the call first. */
const PAST_DEADLINE_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wraps a handler with fault injection (see the module comment). Off (the handler itself is
 * returned) unless `source` is given or the environment enables it.
 */
export function withFaultInjection<E, R>(
  handler: (event: E, context: Context) => Promise<R>,
  source: FaultSource | undefined = faultSourceFromEnv(),
): (event: E, context: Context) => Promise<R> {
  if (source === undefined) return handler;
  return async (event, context) => {
    const functionName = context.functionName;
    const kind = source.drawFunctionFault(functionName);
    if (kind === undefined) return handler(event, context);
    source.record(functionName, kind, context.awsRequestId);
    switch (kind) {
      case 'transient':
        throw new InjectedFault('transient', functionName);
      case 'timeout': {
        const remaining = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 0;
        await sleep(Math.max(0, remaining) + PAST_DEADLINE_MS);
        throw new LambdaTimeout(`Task timed out (injected timeout in ${functionName})`);
      }
      case 'afterEffect':
        await handler(event, context);
        throw new InjectedFault('afterEffect', functionName);
    }
  };
}

/**
 * An injected throttle, shaped as the AWS SDK reports one: the service's error name, a 400 client
 * fault, `$retryable.throttling`; isTransientAwsError classifies it as a real one.
 */
export class InjectedThrottle extends Error {
  override readonly name: string;
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };
  readonly $retryable = { throttling: true };
  constructor(errorName: string, operation: string) {
    super(`Rate exceeded: ${operation} (injected ${errorName}, local fault injection)`);
    this.name = errorName;
  }
}

/** The part of an AWS SDK v3 client that a middleware is added to. */
interface ClientWithMiddleware {
  middlewareStack: { add(middleware: unknown, options: { step: 'finalizeRequest'; priority: 'low'; name: string; override?: boolean }): void };
}

/**
 * Local stage only: lets the faults file throttle this client's calls (`"aws:<Operation>":
 * {"throttle": p}`), failing them with `errorName` (ThrottlingException for Step Functions,
 * ProvisionedThroughputExceededException for DynamoDB, TooManyRequestsException for Lambda).
 * The fault answers each attempt inside the SDK's retry loop (in place of the request), so the
 * client's retry mode (backoff, adaptive rate) works on it as on a real throttle.
 * Off (the client untouched) unless `source` is given or the environment enables fault injection.
 */
export function withInjectedThrottling<C>(client: C, errorName: string, source: FaultSource | undefined = faultSourceFromEnv()): C {
  if (source === undefined) return client;
  (client as unknown as ClientWithMiddleware).middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const call = `aws:${operation}`;
      if (source.drawThrottle(call)) {
        source.record(call, 'throttle');
        throw new InjectedThrottle(errorName, operation);
      }
      return next(args);
    },
    // After the retry middleware (finalizeRequest, high priority): every attempt draws.
    { step: 'finalizeRequest', priority: 'low', name: 'injectedThrottling', override: true },
  );
  return client;
}
