import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiEndpoints } from './client/platform-client';

/**
 * Which stack an ops command talks to. `--stage local` (the default) is the local stack: its
 * endpoints come from `.local/endpoints.json` (written by `npm start`) and the emulators take any
 * credentials. Any other stage is AWS: the SDK's default credential chain and region (`--region`,
 * else AWS_REGION, else the project's eu-west-1). Resource names are predictable either way:
 * `<service>-<stage>-<name>`.
 */
export interface Target {
  stage: string;
  region: string;
  kind: 'local-stack' | 'aws';
  /** Per AWS service endpoint; absent on AWS (the SDK's own). */
  endpoints: { sqs?: string; dynamodb?: string; stepFunctions?: string };
  /** Credentials for the emulators; absent on AWS (the default chain). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Where the endpoints came from (shown so nobody mistakes prod for local). */
  source: string;
  /** The local stack's HTTP APIs, as its endpoints file lists them; on AWS they are in the stacks' outputs. */
  apis?: Partial<ApiEndpoints>;
  /** The local stack's data folder (`.local/`: the endpoints file, the development issuer's keys in `auth/`). */
  dataDir?: string;
}

export interface TargetOptions {
  stage?: string | undefined;
  region?: string | undefined;
  endpointsFile?: string | undefined;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_REGION = 'eu-west-1';

type Env = Record<string, string | undefined>;

/** `.local/endpoints.json` of the running stack: LOCAL_ENDPOINTS_FILE, else LOCAL_DATA_DIR, else the repository's `.local/`. */
export function endpointsFilePath(env: Env = process.env): string {
  if (env.LOCAL_ENDPOINTS_FILE) return path.resolve(env.LOCAL_ENDPOINTS_FILE);
  return path.join(path.resolve(REPO_ROOT, env.LOCAL_DATA_DIR || '.local'), 'endpoints.json');
}

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

interface EndpointsFile extends Partial<ApiEndpoints> {
  sqs?: string;
  dynamodb?: string;
  stepFunctions?: string;
  region?: string;
}

export function resolveTarget(options: TargetOptions = {}, env: Env = process.env, read: (file: string) => string = (file) => readFileSync(file, 'utf8')): Target {
  const stage = options.stage ?? env.OPS_STAGE ?? 'local';
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) throw new TargetError(`--stage must be a stage name such as local, dev or prod, got "${stage}"`);
  if (stage !== 'local') {
    return {
      stage,
      region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? DEFAULT_REGION,
      kind: 'aws',
      endpoints: {},
      source: 'AWS (default credential chain)',
    };
  }
  const file = options.endpointsFile ? path.resolve(options.endpointsFile) : endpointsFilePath(env);
  let parsed: EndpointsFile;
  try {
    parsed = JSON.parse(read(file)) as EndpointsFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new TargetError(`No local stack is running (${path.relative(process.cwd(), file) || file} is missing): start it with \`npm start\`, or pass --stage <stage> for AWS.`);
    }
    throw new TargetError(`${file} is not readable JSON: ${(error as Error).message}`);
  }
  return {
    stage,
    region: options.region ?? parsed.region ?? DEFAULT_REGION,
    kind: 'local-stack',
    endpoints: { sqs: parsed.sqs, dynamodb: parsed.dynamodb, stepFunctions: parsed.stepFunctions },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    source: `local stack (${file})`,
    apis: { orderApi: parsed.orderApi, inventoryApi: parsed.inventoryApi, paymentApi: parsed.paymentApi, notificationApi: parsed.notificationApi },
    dataDir: path.dirname(file),
  };
}

/** SDK client configuration for one AWS service of the target. */
export function clientConfig(target: Target, service: keyof Target['endpoints']) {
  const endpoint = target.endpoints[service];
  return {
    region: target.region,
    ...(endpoint ? { endpoint } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
  };
}

/** The predictable name of a stage's resource: `<service>-<stage>-<name>`. */
export const resourceName = (service: string, stage: string, name: string) => `${service}-${stage}-${name}`;
