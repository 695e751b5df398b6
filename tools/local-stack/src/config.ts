import path from 'node:path';

/**
 * The four services the stack runs, in the order they are started and listed. The platform stack
 * (services/platform: the ops alarm topic, its key, the dashboard) is not run: CloudWatch alarms do
 * not run offline, so nothing here would use its resources.
 */
export const SERVICE_NAMES = ['order', 'inventory', 'payment', 'notification'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The emulated AWS "where": every ARN the stack mints or resolves carries these. */
export const STAGE = 'local';
export const REGION = 'eu-west-1';
export const ACCOUNT_ID = '123456789012';
/** Everything the stack starts listens here only (DynamoDB Local excepted: it has no host option). */
export const HOST = '127.0.0.1';

export interface ServicePorts {
  http: number;
  lambda: number;
}

export interface StackPorts {
  dynamodb: number;
  /** fauxqs serves SNS and SQS on one port. */
  fauxqs: number;
  stepFunctions: number;
  /** The stack's own small admin API (health, recent deliveries to functions). */
  admin: number;
  /** The saga inspector's web page (ops/inspector/, `npm run saga -- web`). */
  inspector: number;
  services: Record<ServiceName, ServicePorts>;
}

/**
 * serverless-offline runs handlers in worker threads by default (fast under concurrency, but about
 * 500 MB per service); in-process keeps each service near 350 MB. See tools/local-stack/README.md.
 */
export type OfflineMode = 'in-process' | 'worker-threads';

export interface StackConfig {
  rootDir: string;
  /** `.local/`: DynamoDB and Step Functions data, logs, endpoints.json. */
  dataDir: string;
  logsDir: string;
  endpointsFile: string;
  stateFile: string;
  region: string;
  accountId: string;
  stage: string;
  host: string;
  ports: StackPorts;
  offlineMode: OfflineMode;
  /** Stream every component's log lines to the console too (`--verbose` or LOCAL_LOG_LEVEL=debug). */
  verbose: boolean;
  /** Keep nothing from a previous run (`--fresh`): DynamoDB and Step Functions data are wiped. */
  fresh: boolean;
  /** Live reload: rebuild and swap handlers on save, restart a service when its serverless.yml changes (`--no-watch` turns it off). */
  watch: boolean;
  /** With live reload, report type errors after each save (`--no-typecheck` turns it off). */
  typecheck: boolean;
}

export const DEFAULT_PORT_BASE = 3100;

/** Port layout relative to LOCAL_PORT_BASE; the service ports match each serverless.yml. */
export const PORT_OFFSETS = {
  httpFirst: 1,
  lambdaFirst: 101,
  dynamodb: 200,
  fauxqs: 201,
  stepFunctions: 202,
  admin: 203,
  inspector: 204,
} as const;

/** The environment variable that moves one port, named in every port error. */
export function portEnvName(component: string): string {
  return `LOCAL_PORT_${component.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  }
  return value;
}

export function resolvePorts(env: NodeJS.ProcessEnv = process.env): StackPorts {
  const base = intFromEnv(env, 'LOCAL_PORT_BASE', DEFAULT_PORT_BASE);
  const port = (component: string, offset: number) => intFromEnv(env, portEnvName(component), base + offset);
  const services = Object.fromEntries(
    SERVICE_NAMES.map((name, index) => [
      name,
      {
        http: port(`${name}_http`, PORT_OFFSETS.httpFirst + index),
        lambda: port(`${name}_lambda`, PORT_OFFSETS.lambdaFirst + index),
      },
    ]),
  ) as Record<ServiceName, ServicePorts>;
  return {
    dynamodb: port('dynamodb', PORT_OFFSETS.dynamodb),
    fauxqs: port('fauxqs', PORT_OFFSETS.fauxqs),
    stepFunctions: port('stepfunctions', PORT_OFFSETS.stepFunctions),
    admin: port('admin', PORT_OFFSETS.admin),
    inspector: port('inspector', PORT_OFFSETS.inspector),
    services,
  };
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export function resolveConfig(argv: string[] = [], env: NodeJS.ProcessEnv = process.env): StackConfig {
  const rootDir = REPO_ROOT;
  const dataDir = path.resolve(rootDir, env.LOCAL_DATA_DIR || '.local');
  if (path.relative(rootDir, dataDir).startsWith('..') || path.isAbsolute(path.relative(rootDir, dataDir))) {
    // The stack runs its copies of the services under <data>/run/, where their plugins must resolve
    // from the repository's node_modules.
    throw new Error(`LOCAL_DATA_DIR must be a folder inside the repository (${rootDir}), got "${env.LOCAL_DATA_DIR}"`);
  }
  const mode = env.LOCAL_OFFLINE_MODE || 'in-process';
  if (mode !== 'in-process' && mode !== 'worker-threads') {
    throw new Error(`LOCAL_OFFLINE_MODE must be "in-process" or "worker-threads", got "${mode}"`);
  }
  return {
    rootDir,
    dataDir,
    logsDir: path.join(dataDir, 'logs'),
    endpointsFile: path.join(dataDir, 'endpoints.json'),
    stateFile: path.join(dataDir, 'stack.json'),
    region: REGION,
    accountId: ACCOUNT_ID,
    stage: STAGE,
    host: HOST,
    ports: resolvePorts(env),
    offlineMode: mode,
    verbose: argv.includes('--verbose') || env.LOCAL_LOG_LEVEL === 'debug',
    fresh: argv.includes('--fresh'),
    watch: !argv.includes('--no-watch') && env.LOCAL_WATCH !== 'false',
    typecheck: !argv.includes('--no-typecheck') && env.LOCAL_TYPECHECK !== 'false',
  };
}

export function serviceDir(config: Pick<StackConfig, 'rootDir'>, service: ServiceName): string {
  return path.join(config.rootDir, 'services', service);
}

/** Deployed function names are `<service>-<stage>-<fn>`; the prefix routes a call to its service. */
export function functionPrefix(service: ServiceName, stage: string = STAGE): string {
  return `${service}-${stage}-`;
}
